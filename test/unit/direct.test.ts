import { describe, expect, it } from 'vitest';
import { directConversation, directTo, parseDirect } from '../../src/core/direct.js';

describe('direct conversation ids', () => {
  it('names a member\'s direct conversation and reads it back', () => {
    const slack = { channel: 'slack', workspace: 'T1', externalId: 'U42' };
    expect(directConversation(slack)).toBe('dm:T1:U42');
    expect(directTo(slack)).toEqual({ channel: 'slack', conversationId: 'dm:T1:U42' });
    expect(parseDirect('dm:T1:U42')).toEqual({ workspace: 'T1', externalId: 'U42' });

    const teams = { channel: 'teams', workspace: '72f988bf-86f1-41af-91ab-2d7cd011db47', externalId: '6d9c1f3e-1b2a-4c5d-8e7f-a11ce0000001' };
    expect(parseDirect(directConversation(teams))).toEqual({ workspace: teams.workspace, externalId: teams.externalId });
  });

  it('is undefined for channels and chats, and refuses ids it could not read back', () => {
    for (const id of ['C01FRANCE', '19:abc@thread.tacv2', 'a:1xyz', 'dm:', 'dm:T1', 'dm:T1:', 'dm::U1']) expect(parseDirect(id)).toBeUndefined();
    expect(() => directConversation({ channel: 'slack', workspace: 'T:1', externalId: 'U1' })).toThrow();
    expect(() => directConversation({ channel: 'slack', workspace: 'T1', externalId: '' })).toThrow();
  });
});
