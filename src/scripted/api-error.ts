/**
 * The error envelope of the OpenAI API, `{"error":{message,type,param,code}}`, used for every non-2xx answer so
 * that keel's error classification meets the real shapes.
 */
export interface ApiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function apiError(
  message: string,
  type = 'invalid_request_error',
  param: string | null = null,
  code: string | null = null,
): ApiErrorBody {
  return { error: { message, type, param, code } };
}

/** A plausible body for an HTTP error step that did not script its own. */
export function defaultHttpErrorBody(status: number): ApiErrorBody {
  switch (status) {
    case 400:
      return apiError('Invalid request (scripted).');
    case 401:
      return apiError('Incorrect API key provided (scripted).', 'invalid_request_error', null, 'invalid_api_key');
    case 403:
      return apiError('You are not allowed to sample from this model (scripted).', 'invalid_request_error');
    case 404:
      return apiError('The model does not exist or you do not have access to it (scripted).', 'invalid_request_error', null, 'model_not_found');
    case 429:
      return apiError('Rate limit reached for requests (scripted). Please try again in 1s.', 'requests', null, 'rate_limit_exceeded');
    case 503:
      return apiError('The server is overloaded (scripted). Please try again later.', 'server_error');
    default:
      return status >= 500
        ? apiError('The server had an error while processing your request (scripted).', 'server_error')
        : apiError(`Scripted HTTP error ${status}.`);
  }
}
