/**
 * The scripted model server, for keel's tests, `keel demo`, and users' offline tests.
 */
export type { ApiErrorBody } from './api-error.ts';
export { apiError } from './api-error.ts';
export type { CapturedRequest, ReceivedRequest, ScriptedApi } from './captured-request.ts';
export { parseScriptJson, ScriptError, validateScript } from './parse-script-json.ts';
export {
  callIndex,
  customToolCallOutput,
  functionCallOutput,
  inputsOfType,
  messageTexts,
  outputIndex,
  outputText,
  requestInput,
  userMessageTexts,
} from './responses-input.ts';
export { IdSource } from './id-source.ts';
export { renderResponsesEvents } from './responses-events.ts';
export { renderChatChunks } from './chat-chunks.ts';
export type {
  ChatFlavor,
  ChatReasoningPlace,
  ExpectHook,
  FailedStep,
  HttpErrorStep,
  ResponseStep,
  ScriptOutput,
  ScriptStep,
  ScriptUsage,
  StreamFaults,
} from './script.ts';
export type { FailedOptions, HttpErrorOptions, RespondOptions } from './script-builders.ts';
export { customToolCall, failed, functionCall, httpError, reasoning, respond, text } from './script-builders.ts';
export type { ScriptedServer, ScriptedServerOptions } from './scripted-server.ts';
export { startScriptedServer } from './scripted-server.ts';
