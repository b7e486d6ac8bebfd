import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Dispatcher } from '../../../bus/dispatcher.js';

export interface ListenerDeps {
  app: App;
  dispatcher: Dispatcher;
  log: Logger;
}
