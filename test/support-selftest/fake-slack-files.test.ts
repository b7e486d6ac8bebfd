/** The fake Slack's file uploads, as @slack/web-api and Passerelle's Slack delivery use them. */
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shareFile } from '../../src/channels/slack/files.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';

let fake: FakeSlack;
let client: WebClient;
beforeAll(async () => {
  fake = await startFakeSlack();
  client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
});
afterAll(async () => fake.close());

describe('fake Slack: files', () => {
  it('gives an upload address, takes the bytes there, and shares the uploaded file in the channel', async () => {
    const id = await shareFile(client, 'C01FRANCE', { name: 'x.ics', title: 'Invitation', mimeType: 'text/calendar', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' }, 'An invitation');
    expect(id).toMatch(/^F\d+$/);
    const asked = fake.callsTo('files.getUploadURLExternal').at(-1)!;
    expect(asked.body).toMatchObject({ filename: 'x.ics', length: '32' });
    expect(fake.callsTo('file_upload').at(-1)!.body).toEqual({ file_id: id, content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' });
    expect(fake.callsTo('files.completeUploadExternal').at(-1)!.body).toMatchObject({ channel_id: 'C01FRANCE', initial_comment: 'An invitation', files: [{ id, title: 'Invitation' }] });
  });

  it('refuses to share a file whose bytes never came, as Slack does', async () => {
    const target = await client.files.getUploadURLExternal({ filename: 'y.ics', length: 3 });
    await expect(client.files.completeUploadExternal({ files: [{ id: target.file_id! }], channel_id: 'C01FRANCE' })).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
    expect((await fetch(`${fake.baseUrl}/upload/F99999999`, { method: 'POST', body: 'x' })).status).toBe(404);
  });
});
