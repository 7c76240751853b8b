/** The text of `keel mcp-server --help`. */
export const MCP_SERVER_HELP = `Usage: keel mcp-server [options]

Runs keel as an MCP server on standard input and output, so that another agent (or any MCP client) can hand
coding tasks to keel. stdout carries only MCP messages; diagnostics go to stderr.

Tools:
  keel        {prompt, cwd?, model?, sandbox?, approval_policy?}
              starts a new session in cwd (default: the server's directory) and runs one task in it to the end;
              returns keel's final message and {session_id, final_message, status}
              (status: completed, failed or interrupted)
  keel-reply  {session_id, prompt}
              one more task in that session (resumed from its log when this server has not got it open)

Every session is recorded in $KEEL_HOME/sessions/ like any other: "keel resume SESSION_ID" opens it in the UI.
When keel must ask before running a command, editing files or calling an MCP tool, the client is asked through
MCP elicitation (approved, approved_for_session, denied or abort; declining denies, cancelling aborts the task).
A client without elicitation gets approval policy never: what would need a question is refused, and the model
is told. With a progressToken, the client gets progress notifications (commands, patches, messages). Cancelling
a call interrupts its task (its commands are stopped). The end of input, SIGINT or SIGTERM shut every open
session down before keel exits.

To use keel from another agent, in that agent's config (for Codex, ~/.codex/config.toml):

  [mcp_servers.keel]
  command = "keel"
  args = ["mcp-server"]

Options (the defaults of every session; a call's own arguments beat them):
  -m, --model NAME                 the model to use (default: config.toml's model)
  -p, --profile NAME               use the [profiles.NAME] table of config.toml
  -c, --config KEY=VALUE           override one config.toml key (repeatable)
      --oss                        use the local provider (Ollama unless configured)
  -a, --ask-for-approval POLICY    untrusted, on-failure, on-request or never (default: config.toml's
                                   approval_policy, else on-request)
  -s, --sandbox MODE               read-only (default), workspace-write or danger-full-access
      --full-auto                  -a on-request -s workspace-write
      --dangerously-bypass-sandbox run commands without a sandbox (danger-full-access)
  -C, --cd DIR                     the directory of calls that give no cwd (default: where keel was started)
      --stateful                   let the server keep the conversation (store: true + previous_response_id)
      --stream-max-retries N       how often a failed model request is retried (default 5)
      --stream-idle-timeout-ms N   give up on a stream silent for N ms (default 300000)
      --shell-timeout-ms N         default time limit of one command of the shell tool (default 120000)
  -h, --help                       show this help

A resumed session runs with these defaults too. Tasks can take long: let the client wait for a call (keel and Codex as
clients: tool_timeout_sec in [mcp_servers.keel]).`;
