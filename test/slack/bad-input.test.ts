import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slashCommand, eventCallback } from '../support/slack-requests.js';
import { startHarness, type Harness } from '../support/harness.js';

describe('bad input from Slack', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.stop());

  const nothingStored = async () => {
    expect(await h.app.db.observation.count()).toBe(0);
    expect(await h.app.db.outboxMessage.count()).toBe(0);
  };

  it('tells a member in an unbound channel which channel it is and how to bind it', async () => {
    const answer = await h.slash('observe Something #workers', { channelId: 'C0STRANGER' });
    expect(answer.body?.response_type).toBe('ephemeral');
    expect(answer.text).toContain('This channel (C0STRANGER) is not bound to any Passerelle platform');
    expect(answer.text).toMatch(/Add "C0STRANGER" to the Slack channels of a platform in the platforms file \(\S*platforms.json\)/);
    await nothingStored();
  });

  it('refuses an observation with no text', async () => {
    const answer = await h.slash('observe #workers', { channelId: 'C01UNITEDK' });
    expect(answer.text).toContain('The observation has no text.');
    await nothingStored();
  });

  it('refuses an over-long observation, saying by how much', async () => {
    const answer = await h.slash(`observe ${'x'.repeat(4001)} #workers`, { channelId: 'C01UNITEDK' });
    expect(answer.text).toContain('The text is too long: 4001 characters, at most 4000.');
    await nothingStored();
  });

  it('refuses an unknown dimension tag and lists the accepted ones', async () => {
    const answer = await h.slash('observe A good practice #workforce #territory', { channelId: 'C01UNITEDK' });
    expect(answer.text).toContain('Unknown tag #workforce. Dimensions: #workers #territory #company; stages:');
    await nothingStored();
  });

  it('asks for a dimension when none is given', async () => {
    const answer = await h.slash('observe A good practice', { channelId: 'C01UNITEDK' });
    expect(answer.text).toContain('Tag at least one dimension: #workers #territory #company.');
    await nothingStored();
  });

  it('answers 401 to a forged signature and to a stale timestamp, and stores nothing', async () => {
    const request = slashCommand({ text: 'observe Forged #workers', responseUrl: h.fake.responseUrl('x') });
    expect((await h.send(request, { badSignature: true })).status).toBe(401);
    expect((await h.send(request, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    await nothingStored();
  });

  it('answers 400 to malformed payloads, logs them, and keeps serving', async () => {
    const notJson = await h.send({ body: 'payload=%7Bnot-json', contentType: 'application/x-www-form-urlencoded' });
    expect(notJson.status).toBe(400);
    const noUser = await h.send(eventCallback({ event: { type: 'app_mention', text: '<@UBOT> observe x #workers', channel: 'C01FRANCE', ts: '1.2' } }));
    expect(noUser.status).toBe(400);
    await expect.poll(() => h.logs.some((l) => String(l.msg).startsWith('malformed Slack app_mention event'))).toBe(true);
    const health = await fetch(`${h.app.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', channels: { slack: 'on' } });
    await nothingStored();
  });

  it('shows the help, with a word about it, for an unknown command', async () => {
    const answer = await h.slash('obsrve something', { channelId: 'C01UNITEDK' });
    expect(answer.text).toContain("I don't know the command “obsrve”.");
    expect(answer.text).toContain('`/passerelle observe &lt;text&gt; #dimension…');
  });
});

describe('delivery of cards when Slack fails', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.stop());

  it('keeps the observation and posts the card after the Retry-After of a 429', async () => {
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const answer = await h.slash('observe Rate limited but kept #company', { channelId: 'C01UNITEDK' });
    expect(answer.text).toContain('Observation #1 filed');
    const failed = await h.fake.waitFor('chat.postMessage', (c) => !!c.failed);
    const posted = await h.fake.waitFor('chat.postMessage', (c) => !c.failed, 4000);
    expect(posted.at - failed.at).toBeGreaterThanOrEqual(900);
    await expect.poll(async () => (await h.app.db.outboxMessage.findFirstOrThrow()).status).toBe('sent');
    expect((await h.app.db.outboxMessage.findFirstOrThrow()).attempts).toBe(2);
    expect(await h.app.db.chatMessage.count()).toBe(1);
  });

  it('retries after server errors', async () => {
    h.fake.failNext('chat.postMessage', { status: 500 }, 2);
    await h.slash('observe Slack had a bad minute #company', { channelId: 'C01UNITEDK' });
    await h.fake.waitFor('chat.postMessage', (c) => !c.failed, 8000);
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.failed)).toHaveLength(2);
    await expect.poll(async () => (await h.app.db.outboxMessage.findFirstOrThrow()).status).toBe('sent');
  });

  it('gives up on an error no retry can mend, with a log line, and keeps the observation', async () => {
    h.fake.failNext('chat.postMessage', { error: 'not_in_channel' });
    await h.slash('observe The bot was not invited #company', { channelId: 'C01UNITEDK' });
    await expect.poll(async () => (await h.app.db.outboxMessage.findFirstOrThrow()).status).toBe('failed');
    expect((await h.app.db.outboxMessage.findFirstOrThrow()).lastError).toBe('not_in_channel');
    expect(h.logs.some((l) => l.msg === 'outbox message given up' && l.reason === 'not_in_channel')).toBe(true);
    expect(await h.app.db.observation.count()).toBe(1);
  });
});
