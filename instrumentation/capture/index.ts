// Capture hooks: cheap, bounded copies of the bytes an HTTP exchange carries, keyed by the span
// that owns them. No parsing happens here; the span processor decodes later, off the app's path.
export type { CaptureOptions, CaptureWithError } from './tracker';
export { getCapture } from './tracker';
export { bodyBytes } from './body-copy';
export { captureIncoming } from './incoming';
export { captureOutgoing } from './outgoing-http';
export { captureUndici, type UndiciRequestLike } from './outgoing-undici';
export { captureHttpResponse, captureUndiciResponse, type ResponseCaptureOptions } from './outgoing-response';
