// Messages between the app's thread and the analysis thread, besides the span batches of wire.ts.
import type { ProcessorStats } from '../processor';
import type { IdleEscape } from './scheduling';

export const CONTROL_SLOTS = 4;
export const SLOT_FLUSHED = 0;
export const SLOT_POSTED = 1;
export const SLOT_TID = 2;
export const SLOT_CLASS = 3;

export interface WorkerInit {
  /** The parsed config (plain data). */
  cfg: unknown;
  /** The fingerprint key: it stays inside the process, in two of its threads. */
  key: Uint8Array;
  /** Where to export (decided, and printed, by the app's thread). */
  plan: unknown;
  env: NodeJS.ProcessEnv;
  serviceName: string;
  maxEventsPerSpan: number;
  /** Int32 slots: [0] sequence number of the last synchronous flush finished; [1] items the app's
   *  thread has posted so far (wrapping), for the work waiting in the port; [2] and [3] the
   *  analysis thread's id and scheduling class (scheduling.ts). */
  control: SharedArrayBuffer;
  /** When the thread leaves SCHED_IDLE and comes back (tests shorten it). */
  idleEscape?: IdleEscape;
}

export type ControlRequest =
  | { t: 'flush'; id: number }
  | { t: 'shutdown'; id: number }
  | { t: 'stats'; id: number }
  /** Synchronous: drain and write the spool now (exit). */
  | { t: 'flushSync'; seq: number };

export type ControlReply =
  | { t: 'done'; id: number; failing: boolean; error?: string; reported?: boolean }
  | { t: 'stats'; id: number; stats: ProcessorStats }
  /** Items taken off the port so far (a few times a second while spans arrive). */
  | { t: 'received'; count: number }
  /** The thread asks the app's thread to move it into SCHED_IDLE (scheduling.ts). */
  | { t: 'class' };
