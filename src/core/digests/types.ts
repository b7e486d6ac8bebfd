/**
 * A weekly digest as neutral data: what templates/digest-views.ts turns into messages and the CLI
 * into a document. Built by ./build.ts from a few aggregate queries; lists are cut to their first
 * `top` items and say how many more there are.
 */
import type { PracticesOfWeek } from '../practices/week.js';
import type { ChatChannel } from '../platforms.js';
import type { Dimension } from '../vocabulary.js';
import type { Outcome } from '../votes/tally.js';
import type { DigestWindow } from './window.js';

export type { DigestWindow };

/**
 * Who reads the copy. `channel`: a platform's channel — observations kept for the secretariat are
 * never in it, and the international channel quotes only what the national platforms made public.
 * `secretariat`: the secretariat's own copy, with everything.
 */
export type Audience = 'channel' | 'secretariat';

/** A current value and the value for the same span one week earlier. */
export interface Trend {
  current: number;
  previous: number;
}

/** Where an observation's card was posted (ChatMessage `observation:<id>`), when it was. */
export interface CardLocation {
  channel: ChatChannel;
  conversationId: string;
  messageId: string;
}

export interface ObservationItem {
  id: number;
  platformId: string;
  /** The start of the text (at most EXCERPT characters). */
  excerpt: string;
  /** The language it was written in (ISO 639-1). */
  language: string;
  dimensions: Dimension[];
  innovative: boolean;
  confidentiality: string;
  stage: string | null;
  caseRef: string | null;
  actorType: string | null;
  createdAt: Date;
  card?: CardLocation;
  /** A link to its card, when the card's channel lets Passerelle write one (see ./links.ts). */
  link?: string;
  /** A link to the chat message it was captured from, if it was. */
  sourceLink: string | null;
}

export interface PlatformObservations {
  platformId: string;
  platformName: string;
  total: number;
  innovative: number;
  byDimension: Record<Dimension, number>;
  /** Innovative first, then the newest. */
  items: ObservationItem[];
  /** How many more the digest could quote (same visibility) than it lists. */
  more: number;
}

export interface ObservationsSection {
  platforms: PlatformObservations[];
}

/** The four voices of a case: the colleges of the multi-college vote, by actor type. */
export type Voice = 'employers' | 'employee-representatives' | 'public-authorities' | 'experts-others';

export interface MovedCase {
  ref: string;
  company: string;
  platformId: string;
  /** New observations in the span. */
  observations: number;
  created: boolean;
  /** The factsheet was changed in the span (and the case not created in it). */
  updated: boolean;
}

export interface NudgedMember {
  channel: ChatChannel;
  externalId: string;
  displayName: string | null;
}

export interface UnbalancedCase {
  ref: string;
  company: string;
  platformId: string;
  missingDimensions: Dimension[];
  missingVoices: Voice[];
  /** Members of the platform who could speak for a missing voice (a few per voice). */
  couldSpeak: Array<{ voice: Voice; members: NudgedMember[] }>;
}

export interface CasesSection {
  moved: MovedCase[];
  movedMore: number;
  unbalanced: UnbalancedCase[];
  unbalancedMore: number;
}

export interface VoteItem {
  voteId: number;
  ref: string;
  title: string;
  closesAt: Date;
  closedAt: Date | null;
  outcome: Outcome | null;
  cast: number | null;
  eligible: number | null;
}

export interface VoteList {
  items: VoteItem[];
  more: number;
}

export interface VotesSection {
  opened: VoteList;
  /** Open votes closing in the 7 days after the span. */
  closing: VoteList;
  closed: VoteList;
}

export interface PlatformFigures {
  platformId: string;
  platformName: string;
  observations: Trend;
  innovative: Trend;
  byDimension: Record<Dimension, Trend>;
  newCases: Trend;
  votesOpened: Trend;
  votesClosed: Trend;
}

export interface FiguresSection {
  platforms: PlatformFigures[];
}

/** A cross-border exchange as a digest lists it. */
export interface ExchangeEntry {
  id: number;
  topic: string;
  /** The confirmed start; null while the time poll is open. */
  startsAt: Date | null;
  /** The platforms taking part. */
  platformIds: string[];
}

export interface ExchangeList {
  items: ExchangeEntry[];
  more: number;
}

/** Cross-border exchanges that involve a covered platform: proposed and confirmed in the span, and coming up in the 7 days after it. */
export interface ExchangesSection {
  proposed: ExchangeList;
  confirmed: ExchangeList;
  upcoming: ExchangeList;
}

/** New innovative practices and transferability assessments (src/core/practices/week.ts). */
export type PracticesSection = PracticesOfWeek;

export interface DigestSections {
  figures: FiguresSection;
  observations: ObservationsSection;
  cases: CasesSection;
  votes: VotesSection;
  exchanges: ExchangesSection;
  practices: PracticesSection;
}

export interface DigestData {
  platformId: string;
  platformName: string;
  /** An international digest: it covers every national platform. */
  international: boolean;
  audience: Audience;
  window: DigestWindow;
  /** The platforms covered: the platform itself, then (international) the national ones. */
  platformIds: string[];
  sections: Partial<DigestSections>;
  /** Nothing happened in the span nor in the one before: a scheduled run posts nothing. */
  empty: boolean;
}
