/**
 * The Lark grammar of the patch language, for the freeform (custom) tool: the model's sampler follows it, so the
 * patch arrives well-formed. It describes the canonical form the model should write; the parser also accepts the
 * lenient variants (padded markers and so on) for models that write patches without a grammar.
 */
export const APPLY_PATCH_LARK_GRAMMAR = String.raw`start: "*** Begin Patch" NL operation+ "*** End Patch" NL?

operation: add_file | delete_file | update_file

add_file: "*** Add File: " PATH NL added_line*
delete_file: "*** Delete File: " PATH NL
update_file: "*** Update File: " PATH NL move_to? first_chunk chunk*

move_to: "*** Move to: " PATH NL

// Only the first chunk may leave out its "@@" line; later ones need it to say where one chunk ends.
first_chunk: chunk_header* chunk_body
chunk: chunk_header+ chunk_body
chunk_body: chunk_line+ end_of_file?
chunk_header: "@@" NL | "@@ " ANCHOR NL
chunk_line: context_line | removed_line | added_line
context_line: " " TEXT? NL
removed_line: "-" TEXT? NL
added_line: "+" TEXT? NL
end_of_file: "*** End of File" NL

PATH: /[^\r\n]+/
ANCHOR: /[^\r\n]+/
TEXT: /[^\r\n]+/
NL: /\r?\n/
`;
