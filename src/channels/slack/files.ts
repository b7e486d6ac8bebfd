/**
 * Shares a file in a Slack conversation (an exchange's .ics invitation), the way Slack asks since
 * files.upload was retired: files.getUploadURLExternal gives an upload address and a file id, the
 * bytes are POSTed there, and files.completeUploadExternal shares the file in the channel with a
 * comment. Needs the bot scope files:write.
 *
 * Called from the outbox (SlackDelivery.post), so a failure is retried like any message; a file is
 * never updated in place (a later view with the same key changes nothing).
 */
import type { WebClient } from '@slack/web-api';
import type { MessageView } from '../../../templates/view.js';

export async function shareFile(client: WebClient, channel: string, file: NonNullable<MessageView['file']>, comment: string, threadOf?: string): Promise<string> {
  const bytes = Buffer.from(file.content, 'utf8');
  const target = await client.files.getUploadURLExternal({ filename: file.name, length: bytes.length });
  if (!target.upload_url || !target.file_id) throw new Error('files.getUploadURLExternal gave no upload address');
  const uploaded = await fetch(target.upload_url, { method: 'POST', headers: { 'content-type': file.mimeType }, body: bytes, signal: AbortSignal.timeout(15_000) });
  if (!uploaded.ok) throw new Error(`Slack file upload answered HTTP ${uploaded.status}`);
  await client.files.completeUploadExternal({
    files: [{ id: target.file_id, title: file.title }],
    channel_id: channel,
    initial_comment: comment,
    ...(threadOf ? { thread_ts: threadOf } : {}),
  } as never);
  return target.file_id;
}
