/**
 * A request the domain turns down, with the reason as a sentence key of templates/locales and
 * its parameters, so that each channel can say it in the member's language.
 */
export class Refusal extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(key);
  }
}
