/**
 * A tiny schema language for config.toml. It exists (instead of zod) because config errors must read like
 * `file: key.path: expected "responses" or "chat", got "grpc"` and unknown keys must be warnings, not failures;
 * both fall out of a walker that knows the expected shape of every key. `Infer` keeps the TypeScript type of a
 * validated layer in step with its spec, so the two cannot drift apart.
 */

export interface TextSpec {
  readonly type: 'text';
}
export interface HttpUrlSpec {
  readonly type: 'http_url';
}
export interface FlagSpec {
  readonly type: 'flag';
}
export interface WholeNumberSpec {
  readonly type: 'whole_number';
  readonly min: number;
  readonly max: number;
}
export interface OneOfSpec<V extends string = string> {
  readonly type: 'one_of';
  readonly values: readonly V[];
}
export interface TextListSpec {
  readonly type: 'text_list';
}
/** Like a text list, but each entry is a path made absolute against the directory the layer is relative to. */
export interface PathListSpec {
  readonly type: 'path_list';
}
/** A table whose keys are free (header names, variable names) and whose values are strings. */
export interface TextMapSpec {
  readonly type: 'text_map';
}
export interface TableSpec<F extends Fields = Fields> {
  readonly type: 'table';
  readonly fields: F;
}
/** A table whose keys are free ids (`[model_providers.<id>]`, `[profiles.<name>]`), each holding a `table`. */
export interface TableMapSpec<E extends TableSpec = TableSpec> {
  readonly type: 'table_map';
  readonly entry: E;
}

/** `[[name]]`: an array of tables, each holding a `table`. */
export interface TableListSpec<E extends TableSpec = TableSpec> {
  readonly type: 'table_list';
  readonly entry: E;
}
/** A rule's pattern: a non-empty array, each element a word or an array of alternative words. */
export interface WordPatternSpec {
  readonly type: 'word_pattern';
}
/** Example commands: each a shell line (a string) or an argv (an array of strings). */
export interface ExampleListSpec {
  readonly type: 'example_list';
}

export type FieldSpec =
  | TextSpec
  | HttpUrlSpec
  | FlagSpec
  | WholeNumberSpec
  | OneOfSpec
  | TextListSpec
  | PathListSpec
  | TextMapSpec
  | TableSpec
  | TableMapSpec
  | TableListSpec
  | WordPatternSpec
  | ExampleListSpec;

export interface Fields {
  readonly [key: string]: FieldSpec;
}

/** The value a spec validates to; every table field is optional because a layer sets only what it mentions. */
export type Infer<S> = S extends TextSpec | HttpUrlSpec
  ? string
  : S extends FlagSpec
    ? boolean
    : S extends WholeNumberSpec
      ? number
      : S extends OneOfSpec<infer V>
        ? V
        : S extends TextListSpec | PathListSpec
          ? string[]
          : S extends TextMapSpec
            ? Record<string, string>
            : S extends TableSpec<infer F>
              ? { [K in keyof F]?: Infer<F[K]> }
              : S extends TableMapSpec<infer E>
                ? Record<string, Infer<E>>
                : S extends TableListSpec<infer E>
                  ? Infer<E>[]
                  : S extends WordPatternSpec | ExampleListSpec
                    ? (string | string[])[]
                    : never;

export const text = (): TextSpec => ({ type: 'text' });
export const httpUrl = (): HttpUrlSpec => ({ type: 'http_url' });
export const flag = (): FlagSpec => ({ type: 'flag' });
export const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER): WholeNumberSpec => ({ type: 'whole_number', min, max });
export const oneOf = <V extends string>(values: readonly V[]): OneOfSpec<V> => ({ type: 'one_of', values });
export const textList = (): TextListSpec => ({ type: 'text_list' });
export const pathList = (): PathListSpec => ({ type: 'path_list' });
export const textMap = (): TextMapSpec => ({ type: 'text_map' });
export const table = <F extends Fields>(fields: F): TableSpec<F> => ({ type: 'table', fields });
export const tableMap = <E extends TableSpec>(entry: E): TableMapSpec<E> => ({ type: 'table_map', entry });
export const tableList = <E extends TableSpec>(entry: E): TableListSpec<E> => ({ type: 'table_list', entry });
export const wordPattern = (): WordPatternSpec => ({ type: 'word_pattern' });
export const exampleList = (): ExampleListSpec => ({ type: 'example_list' });
