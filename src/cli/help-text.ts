/** The text of `keel --help` and `keel exec --help`. */
const UI_OPTIONS = `Options:
  -m, --model NAME                 the model to use (default: config.toml's model)
  -p, --profile NAME               use the [profiles.NAME] table of config.toml
  -c, --config KEY=VALUE           override one config.toml key (repeatable)
      --oss                        use the local provider (Ollama unless configured)
  -a, --ask-for-approval POLICY    when to ask before running something: untrusted, on-failure,
                                   on-request (default) or never
  -s, --sandbox MODE               read-only (default), workspace-write or danger-full-access
      --full-auto                  -a on-request -s workspace-write: edit and run in the workspace, ask for the rest
      --dangerously-bypass-sandbox run commands without a sandbox (danger-full-access)
  -C, --cd DIR                     work in DIR instead of the current directory
  -i, --image FILE                 attach an image (PNG, JPEG, GIF or WebP, up to 20 MB) to the first prompt
                                   (the one given here, else the first one typed); repeatable
  -h, --help                       show this help

In the UI:
  Enter send (while a task runs: queued for it) · Shift+Enter, Ctrl+J or Alt+Enter new line
  Up/Down recall earlier prompts · Ctrl+A/E line start/end · Ctrl+U/K/W delete · Alt+Left/Right by word
  Esc or Ctrl+C interrupt the running task (its commands are stopped, the session goes on)
  Esc twice on an empty prompt: fork the session at one of its prompts (as /fork)
  Ctrl+C with no task: clear the prompt; twice on an empty prompt: quit · Ctrl+D on an empty prompt: quit
  Ctrl+L redraw · Ctrl+Z suspend (fg to come back)
  Paste or drop an image file's path to attach the image ([image: name.png]; images from -i wait there
  too) · Backspace at the start of the prompt drops the last one
  Approvals: y approve · a approve for this session · A always (saves an allow rule) · n deny · Esc abort
  /new /resume /fork /status /model [NAME] /approvals /diff /compact [TEXT] /ps /stop ID|all /mcp /help /quit`;

export const MAIN_HELP = `keel — a coding agent for your terminal that survives interrupts, crashes and restarts

Usage:
  keel [options] [PROMPT]        open the interactive UI, optionally with a first prompt (options below)
  keel resume [--last | SESSION_ID] [PROMPT]
                                 open the UI on a recorded session (no id: pick one of this repository's)
  keel exec [options] [PROMPT]   run one task without interaction (PROMPT, or "-" / nothing to read stdin)
  keel exec resume (--last | SESSION_ID) [PROMPT]
                                 go on with a recorded session (after Ctrl+C, a crash, a kill)
  keel proto [options]           speak the engine's protocol on stdin/stdout (JSON lines), to embed keel
  keel mcp-server [options]      serve keel as MCP tools (keel, keel-reply) on stdin/stdout, for other agents
  keel mcp list [--json]         start each configured MCP server, list its tools, and say why one does not start
  keel sessions [--all] [--json] list the sessions of this repository, newest first
  keel sessions show SESSION_ID [--format markdown|json]
                                 print a session as a transcript or as JSON
  keel fork SESSION_ID [--at N]  a new session from a recorded one, cut before its prompt N (no --at: list them)
  keel undo [SESSION_ID] [--task N]
                                 put the files back as they were before a session's last task (any tool's edits)
  keel doctor                    check the configuration, the provider, the model, keel's folder, the sandbox
  keel sandbox check             say which sandbox works here, or what to install
  keel rules check -- COMMAND…   say what your [[rules]] make of a command, and which rule decides
  keel demo                      run a real session against keel's built-in scripted model (no key, no network)
  keel apply_patch [PATCH]       apply a patch in the apply_patch format to the current directory
  keel --version                 print the version
  keel --help                    show this help

Environment:
  OPENAI_API_KEY     the API key sent as a bearer token
  OPENAI_BASE_URL    the API's base URL (default https://api.openai.com/v1); point it at any
                     OpenAI-compatible server, e.g. http://localhost:8000/v1
  KEEL_HOME          where keel keeps its files (default ~/.keel), including config.toml

Every session is recorded as it happens in $KEEL_HOME/sessions/ (mode 0600, no API keys), so it can be
resumed whatever ended it. Prompts are kept in $KEEL_HOME/history.jsonl.

Run "keel exec --help" for the options of a task without interaction.

The interactive UI's ${UI_OPTIONS.charAt(0).toLowerCase()}${UI_OPTIONS.slice(1)}`;

export const EXEC_HELP = `Usage: keel exec [options] [PROMPT]

Runs one task to the end without asking anything, then exits. The prompt is the argument, or standard input
when the argument is "-" or missing (keel never waits for a terminal: give a prompt or pipe one in).
Progress goes to stderr; the final answer goes to stdout.

Options:
  -m, --model NAME                 the model to use (default: config.toml's model, else gpt-5-codex)
  -p, --profile NAME               use the [profiles.NAME] table of config.toml
  -c, --config KEY=VALUE           override one config.toml key for this run (VALUE is TOML, else a string);
                                   repeatable, e.g. -c model_provider=ollama -c 'notify=["notify-send"]'
                                   or -c model_reasoning_effort=high (minimal, low, medium, high, xhigh, none)
      --oss                        use the local provider (Ollama at http://localhost:11434/v1 unless configured)
  -C, --cd DIR                     work in DIR instead of the current directory
  -i, --image FILE                 send an image with the prompt (PNG, JPEG, GIF or WebP, judged by its content;
                                   up to 20 MB); repeatable: -i before.png -i after.png
      --json                       print every event as one JSON line on stdout (first line: a header with the
                                   format version and the session id; last but one: the verdict, exec_result)
  -o, --output-last-message FILE   also write the final answer to FILE
      --output-schema FILE         ask for the final answer in the format of the JSON Schema in FILE and check
                                   it: stdout gets the answer as one line of JSON, or exit 1 when it does not
                                   follow the schema (OpenAI's strict mode: list every property in "required"
                                   and set "additionalProperties": false)
      --fail-on-refusal            exit 4 when the task finished but a call of it was refused or denied
      --session-id UUID            run as that session: a new one with that id, or, when its log exists, go on
                                   with it (a rerun of the same command line after a kill carries on; a
                                   finished task with the same prompt reports its recorded answer)
      --stateful                   let the server keep the conversation (store: true + previous_response_id)
                                   instead of sending the whole history with every request
      --stream-max-retries N       how often a failed model request is retried (default 5)
      --stream-idle-timeout-ms N   give up on a stream silent for N ms (default 300000)
      --shell-timeout-ms N         default time limit of one command of the shell tool (default 120000;
                                   exec_command has none: what outlasts its wait runs in the background)
  -s, --sandbox MODE               read-only (default), workspace-write, or danger-full-access
      --full-auto                  same as --sandbox workspace-write: edit the workspace, commands sandboxed
      --dangerously-bypass-sandbox same as --sandbox danger-full-access: nothing is confined
  -h, --help                       show this help

Exit codes:
  0    the task finished
  1    the task ended in an error (the error is printed), or its answer did not follow --output-schema
  2    keel was called or configured wrongly (nothing was sent)
  3    the provider's quota is exhausted (not retried; when it resets is printed if the provider said)
  4    --fail-on-refusal: the task finished, but a call was refused or denied
  129  stopped by SIGHUP (the terminal went away)
  130  interrupted with Ctrl+C (the running command was stopped; a second Ctrl+C quits at once)
  143  stopped by SIGTERM

The last line on stderr is the verdict:
  keel exec: completed · exit 0 · session 3f2a1b2c… · 12k tokens · calls: 5 ok, 1 failed, 1 refused
With --json it is the line before shutdown_complete, exec's own (not an event):
{"type":"exec_result","status":"completed"|"failed"|"interrupted","exit_code","session_id","usage",
"tool_calls":{"completed","failed","refused","denied","aborted"}}, plus "resets_at" (a time or null) on exit 3.

The session is recorded in $KEEL_HOME/sessions/; see "keel exec resume --help".

Safety: exec never asks. Commands known to be read-only run as they are; every other command runs in the sandbox
(bubblewrap on Linux, Seatbelt on macOS) of the sandbox mode — read-only by default, so nothing is written unless
you pass --full-auto. What would need a question is refused and the model is told why. Commands never see
variables named *KEY*, *SECRET* or *TOKEN*. "keel sandbox check" says whether a sandbox works here.

Background processes: a command the model starts with exec_command that is still running when the call's wait ends
(a dev server, a watcher) goes on in the background while the task does. At exit keel stops every one, with all
they started, and lists them on stderr; at most max_background_processes (default 8, -c max_background_processes=N)
run at once. -c tools.shell=shell offers the older shell tool instead.`;

export const EXEC_RESUME_HELP = `Usage: keel exec resume (--last | SESSION_ID) [options] [PROMPT]

Goes on with a recorded session, whatever ended it (Ctrl+C, SIGTERM, SIGKILL, a crash, a power cut). Calls the
model had issued that never got an answer are answered honestly first ("aborted"), so the model API accepts the
history. With PROMPT ("-" reads stdin) the prompt is sent; without one, a task that was cut off goes on where it
stopped. The session works in its own directory (keel can be anywhere); -C DIR moves it.

  --last             the most recent session started in this repository (or directory)
  SESSION_ID         a session id, or any unique beginning of one (see keel sessions)

All options of "keel exec" apply (--json, -o, -m, --stateful, …). Two keel processes never write one session:
a second one is refused with the holder's process id.`;



export const PROTO_HELP = `Usage: keel proto [options]

Runs one session driven by another program: submissions {"id","op"} are read from standard input, one JSON
object per line, and events {"id","seq","msg"} are written to standard output, one per line, starting with
session_configured. stdout carries nothing else; diagnostics go to stderr. The JSON Schemas of both are in the
package's schema/ folder (submission.schema.json, event.schema.json).

  {"id":"1","op":{"type":"user_turn","items":[{"type":"text","text":"fix the failing test"}]}}
  {"id":"2","op":{"type":"exec_approval","id":"CALL_ID","decision":"approved"}}
  {"id":"3","op":{"type":"interrupt"}}

A line that is not JSON or not a valid submission gets an error event ("line N: …", kind null) under the line's
id (or "proto") and the session goes on. seq counts stdout's lines from 0, those errors included. The end of
input sends shutdown; so do SIGINT and SIGTERM (a second one quits at once). shutdown_complete is always the last
line.

Options:
  -m, --model NAME                 the model to use (default: config.toml's model; a resumed session's own)
  -p, --profile NAME               use the [profiles.NAME] table of config.toml
  -c, --config KEY=VALUE           override one config.toml key for this run (repeatable)
      --oss                        use the local provider (Ollama unless configured)
  -a, --ask-for-approval POLICY    untrusted, on-failure, on-request or never (default: config.toml's
                                   approval_policy, else on-request); questions come as exec_approval_request /
                                   apply_patch_approval_request events, answered with exec_approval / patch_approval
  -s, --sandbox MODE               read-only (default), workspace-write or danger-full-access
      --full-auto                  -a on-request -s workspace-write
      --dangerously-bypass-sandbox run commands without a sandbox (danger-full-access)
  -C, --cd DIR                     work in DIR instead of the current directory
      --resume SESSION_ID          go on with a recorded session (any unique beginning of its id)
      --last                       go on with the most recent session of this repository (or directory)
      --stateful                   let the server keep the conversation (store: true + previous_response_id)
      --stream-max-retries N       how often a failed model request is retried (default 5)
      --stream-idle-timeout-ms N   give up on a stream silent for N ms (default 300000)
      --shell-timeout-ms N         default time limit of one command of the shell tool (default 120000)
  -h, --help                       show this help

Exit codes: 0 the session shut down; 2 keel was called or configured wrongly (nothing was read); 129, 130, 143
a signal (SIGHUP, SIGINT, SIGTERM) ended the session.

The session is recorded in $KEEL_HOME/sessions/ like any other. A resumed session whose last task was cut off
waits for a continue_task or user_turn op.`;

export const TUI_HELP = `Usage: keel [options] [PROMPT]

Opens the interactive UI in this directory: give keel tasks, watch commands and edits as they happen, answer its
questions, interrupt it at any moment and carry on. The session is recorded as it happens; leave with Ctrl+D or
/quit and go on later with "keel resume".

${UI_OPTIONS}`;

export const RESUME_HELP = `Usage: keel resume [--last | SESSION_ID] [options] [PROMPT]

Opens the interactive UI on a recorded session, showing its transcript, after a quit, Ctrl+C, a crash or a kill.
Commands that were running when keel stopped are recorded as aborted, so the model sees an answer for every call.
With no session named, pick one of this repository's sessions; --last takes the newest; SESSION_ID may be a
unique prefix of the id (see keel sessions). A PROMPT is sent as soon as the UI is up.

${UI_OPTIONS}`;
