declare const KEEL_VERSION: string | undefined;

/** Set by the bundler from package.json; "dev" when running from source. */
export const VERSION: string = typeof KEEL_VERSION === 'string' ? KEEL_VERSION : 'dev';
