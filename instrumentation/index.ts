// `--require @sst/otel-auto` and `require('@sst/otel-auto')`: start from the environment at load.
// Apps that want to start it themselves import `@sst/otel-auto/api` instead (no side effects).
import { autoStart } from './api';

autoStart();

export { start, shutdown, current, isDisabled } from './api';
export type { StartOptions, SstHandle } from './api';
