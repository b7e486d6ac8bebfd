/**
 * Messages between the bench (the process serving the apps under test) and the Slack side (a
 * child process playing Slack: the fake Web API and the load generator). Both directions are
 * parsed with zod: an IPC channel is an input boundary like any other.
 */
import { z } from 'zod';

export const Target = z.object({
  /** 'http://127.0.0.1:PORT/slack/events' */
  url: z.url(),
  signingSecret: z.string().min(1),
});
export type Target = z.infer<typeof Target>;

const Common = { runId: z.number().int(), target: Target, firstN: z.number().int().min(0) };

export const ToSlackSide = z.discriminatedUnion('type', [
  z.object({ type: z.literal('closed'), ...Common, count: z.number().int().min(0), concurrency: z.number().int().min(1) }),
  z.object({ type: z.literal('open'), ...Common, rate: z.number().positive(), seconds: z.number().positive() }),
  z.object({ type: z.literal('cards'), runId: z.number().int() }),
  z.object({ type: z.literal('quit') }),
]);
export type ToSlackSide = z.infer<typeof ToSlackSide>;

export const PhaseResult = z.object({
  sent: z.number().int(),
  /** HTTP 200 answers. */
  ok: z.number().int(),
  /** HTTP 200 answers carrying the ✅ confirmation (Passerelle only). */
  confirmed: z.number().int(),
  /** Everything else, by kind: 'http 500', 'timeout', 'ECONNRESET'… */
  errors: z.record(z.string(), z.number().int()),
  /** From the first send (or the first scheduled send) to the last answer. */
  elapsedMs: z.number(),
  /** Answered requests per second over elapsedMs. */
  throughput: z.number(),
  /**
   * Ack latency of every request, ms: closed loop, from send to the end of the answer; open loop, from
   * the time the request was due on the timetable (so a stalled server is charged for the requests it
   * held up).
   */
  latencies: z.array(z.number()),
  /** Open loop: how late the generator itself sent, at worst (a check on the generator, not the server). */
  maxSendLagMs: z.number(),
  /** The observation numbers answered with HTTP 200. */
  acked: z.array(z.number().int()),
  /** CPU (user + system, µs) the Slack side itself spent during the phase: generator and fake Web API. */
  slackSideCpuUs: z.number(),
});
export type PhaseResult = z.infer<typeof PhaseResult>;

export const Memory = z.object({ rssMb: z.number(), heapUsedMb: z.number() });
export type Memory = z.infer<typeof Memory>;

export const FromSlackSide = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), apiUrl: z.url(), baseUrl: z.url() }),
  z.object({ type: z.literal('phase'), runId: z.number().int(), result: PhaseResult }),
  z.object({
    type: z.literal('cards'),
    runId: z.number().int(),
    /** chat.postMessage calls answered ok. */
    posted: z.number().int(),
    failed: z.number().int(),
    /** Observation numbers whose card was posted, once each. */
    numbers: z.array(z.number().int()),
    /** Every call the fake recorded, and what holding them costs the Slack side. */
    recordedCalls: z.number().int(),
    /** Recorded calls by Web API method ('response_url' for POSTs to a response_url). */
    byMethod: z.record(z.string(), z.number().int()),
    memory: Memory,
  }),
  z.object({ type: z.literal('error'), runId: z.number().int().optional(), message: z.string() }),
]);
export type FromSlackSide = z.infer<typeof FromSlackSide>;

/** The text each request files: `observe Bench observation <n> #workers` stores `Bench observation <n>`. */
export const observationText = (n: number): string => `Bench observation ${n}`;
export const OBSERVATION_NUMBER = /Bench observation (\d+)\b/g;
