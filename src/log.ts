import pino, { type Logger } from 'pino';
import { LogLevel, type Logger as SlackLogger } from '@slack/logger';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}

/** Bolt and the Slack Web API client log through ours. */
export function slackLogger(log: Logger): SlackLogger {
  let level = LogLevel.INFO;
  const write = (fn: 'debug' | 'info' | 'warn' | 'error') => (...msg: unknown[]) => log[fn]({ component: 'slack' }, msg.map(String).join(' '));
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (l: LogLevel) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}
