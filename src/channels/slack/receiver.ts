/**
 * Slack over HTTP, the bolt-js way: verify the signature (401 if forged or stale), parse the
 * body, check it against the payload schemas (400 if malformed), then hand it to the app's one
 * `processEvent`. Mounted on Passerelle's own server rather than a server of its own.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions as http, HTTPResponseAck, type App, type Receiver } from '@slack/bolt';
import type { Logger } from 'pino';
import { checkBody, MalformedPayload } from './payloads.js';

export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;

  constructor(
    private readonly signingSecret: string,
    private readonly log: Logger,
    private readonly logger: Parameters<typeof http.parseAndVerifyHTTPRequest>[0]['logger'],
  ) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  readonly requestListener = (req: IncomingMessage, res: ServerResponse): void => {
    void this.handle(req, res);
  };

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let buffered;
    try {
      buffered = await http.parseAndVerifyHTTPRequest({ signingSecret: this.signingSecret, logger: this.logger }, req);
    } catch (error) {
      const tooLarge = http.isRawBodyError(error) && error.statusCode === 413;
      this.log.warn({ reason: (error as Error).message }, tooLarge ? 'Slack request too large' : 'Slack request refused: bad or stale signature');
      return http.buildNoBodyResponse(res, tooLarge ? 413 : 401);
    }
    let body: Record<string, unknown>;
    try {
      body = http.parseHTTPRequestBody(buffered);
      if (body.ssl_check === '1') return http.buildSSLCheckResponse(res);
      if (body.type === 'url_verification') return http.buildUrlVerificationResponse(res, body);
      checkBody(body);
    } catch (error) {
      const issues = error instanceof MalformedPayload ? error.issues : [(error as Error).message];
      this.log.warn({ issues }, error instanceof MalformedPayload ? error.message : 'malformed Slack request body');
      return http.buildNoBodyResponse(res, 400);
    }
    const ack = new HTTPResponseAck({ logger: this.logger!, processBeforeResponse: false, httpRequest: buffered, httpRequestBody: body, httpResponse: res });
    try {
      await this.app!.processEvent({
        body,
        ack: ack.bind(),
        retryNum: http.extractRetryNumFromHTTPRequest(req),
        retryReason: http.extractRetryReasonFromHTTPRequest(req),
      });
    } catch (error) {
      this.log.error({ err: error }, 'Slack request failed');
      if (!res.headersSent) http.buildNoBodyResponse(res, 500);
    }
  }
}
