import type { ErrorCode } from "@/lib/errors";
import type { ErrorBody } from "@/lib/schemas/ask";

/**
 * What a failed ask means for the clinician, by error code. The server's own message names hosts, environment
 * variables and shell commands: that is for the administrator, and the error card keeps it behind a disclosure.
 * Every message says whether trying again can help.
 */
const CLINICIAN_WORDS: Partial<Record<ErrorCode, string>> = {
  upstream_unavailable:
    "MedGPT cannot reach its model, so it cannot answer right now. Try again in a minute; if this keeps happening, tell your administrator.",
  model_not_found:
    "The chosen model is not installed on this server. Choose another model, or ask your administrator to install it.",
  upstream_timeout:
    "The model took too long to answer. It may be starting up or busy. Try again; if this keeps happening, tell your administrator.",
  upstream_error:
    "The model server reported an error, so there is no answer. Try again; if this keeps happening, tell your administrator.",
  network_error: "The connection to MedGPT was lost. Check your network connection and try again.",
  protocol_error: "This page is out of date. Reload the page, then ask again.",
  unexpected_response: "MedGPT sent an answer this page could not read. Reload the page, then ask again.",
  payload_too_large: "The question is too long for MedGPT. Shorten the case or the options and try again.",
  invalid_request: "MedGPT could not accept the question as written. Check the case and the options, then try again.",
  invalid_json: "MedGPT could not read the question. Reload the page, then ask again.",
  unsupported_media_type: "MedGPT could not read the question. Reload the page, then ask again.",
  rate_limited: "You have asked many questions in a short time. Wait a minute, then ask again.",
  busy: "MedGPT is answering as many questions as it can right now. Wait a few seconds, then ask again.",
  request_timeout: "The question did not reach MedGPT completely. Check your network connection and try again.",
  api_key_required: "This MedGPT server needs an API key. Enter the key your administrator gave you, then ask again.",
  invalid_api_key: "The API key was not accepted. Enter a valid key from your administrator, then ask again.",
};

const FALLBACK = "Something went wrong in MedGPT. Try again; if this keeps happening, tell your administrator.";

export function clinicianMessage(error: ErrorBody): string {
  return CLINICIAN_WORDS[error.code] ?? FALLBACK;
}
