/**
 * Slack's documented Block Kit limits, checked on what the bot sends, so that a test fails here with a precise
 * message instead of Slack answering `invalid_blocks` in production.
 *
 * Sources (checked against docs.slack.dev / api.slack.com reference pages and the JSDoc of @slack/types 3.2):
 * - Blocks: "up to 50 blocks in each message, and 100 blocks in modals or Home tabs";
 *   block_id max 255 chars, unique within a message / view.
 * - Section: text max 3000 chars; fields max 10 items, each text max 2000 chars.
 * - Header: text max 150 chars.  Actions: max 25 elements.  Context: max 10 elements.
 * - Input: label max 2000 chars, hint max 2000 chars.
 * - Button: text max 75, value max 2000, url max 3000, action_id max 255 (action_id max 255 for every element).
 * - Modal view: title, submit, close max 24 chars each; private_metadata max 3000; callback_id max 255.
 * - static_select / multi_static_select: max 100 options, max 100 option groups; option text max 75 chars;
 *   option value max 150 chars (older pages and @slack/types say 75; docs.slack.dev now says 150, we use 150).
 * - overflow: max 5 options; checkboxes / radio_buttons: max 10 options.
 */
export const BLOCK_KIT_LIMITS = {
  blocksPerMessage: 50,
  blocksPerModal: 100,
  blocksPerHomeTab: 100,
  blockIdLength: 255,
  sectionTextLength: 3000,
  sectionFieldsCount: 10,
  sectionFieldTextLength: 2000,
  headerTextLength: 150,
  actionsElementsCount: 25,
  contextElementsCount: 10,
  inputLabelLength: 2000,
  inputHintLength: 2000,
  buttonTextLength: 75,
  buttonValueLength: 2000,
  buttonUrlLength: 3000,
  actionIdLength: 255,
  modalTitleLength: 24,
  modalSubmitLength: 24,
  modalCloseLength: 24,
  privateMetadataLength: 3000,
  callbackIdLength: 255,
  staticSelectOptionsCount: 100,
  staticSelectOptionGroupsCount: 100,
  overflowOptionsCount: 5,
  checkboxesOptionsCount: 10,
  radioButtonsOptionsCount: 10,
  optionTextLength: 75,
  optionValueLength: 150,
} as const;

export type BlockKitSurface = 'message' | 'modal' | 'home';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Length in characters as Slack counts them (code points, not UTF-16 units). */
const len = (s: string): number => [...s].length;
const textOf = (t: unknown): string | undefined =>
  typeof t === 'string' ? t : isObj(t) && typeof t.text === 'string' ? t.text : undefined;

/**
 * Every limit violation found, each as `path: what (max N)`. Accepts an array of blocks, a message
 * (`{ blocks }`) or a view (`{ type: 'modal', title, blocks, ... }`).
 */
export function collectBlockKitViolations(input: unknown, surface: BlockKitSurface): string[] {
  const errors: string[] = [];
  const L = BLOCK_KIT_LIMITS;
  let blocks: unknown;
  let root = 'blocks';

  const maxLen = (path: string, value: unknown, max: number, what: string): void => {
    const s = textOf(value);
    if (s !== undefined && len(s) > max) errors.push(`${path}: ${what} is ${len(s)} characters (max ${max})`);
  };
  const maxCount = (path: string, value: unknown, max: number, what: string): void => {
    if (Array.isArray(value) && value.length > max) errors.push(`${path}: ${what} has ${value.length} items (max ${max})`);
  };

  if (Array.isArray(input)) {
    blocks = input;
  } else if (isObj(input)) {
    blocks = input.blocks;
    if (surface !== 'message') root = 'view.blocks';
    if (surface === 'modal') {
      maxLen('view.title.text', input.title, L.modalTitleLength, 'modal title');
      maxLen('view.submit.text', input.submit, L.modalSubmitLength, 'modal submit');
      maxLen('view.close.text', input.close, L.modalCloseLength, 'modal close');
    }
    if (surface !== 'message') {
      maxLen('view.private_metadata', input.private_metadata, L.privateMetadataLength, 'private_metadata');
      maxLen('view.callback_id', input.callback_id, L.callbackIdLength, 'callback_id');
    }
  } else {
    return [`expected an array of blocks or a ${surface === 'message' ? 'message' : 'view'} object, got ${typeof input}`];
  }
  if (blocks === undefined) return errors;
  if (!Array.isArray(blocks)) return [...errors, `${root}: expected an array, got ${typeof blocks}`];

  const maxBlocks = surface === 'message' ? L.blocksPerMessage : surface === 'modal' ? L.blocksPerModal : L.blocksPerHomeTab;
  if (blocks.length > maxBlocks) errors.push(`${root}: ${blocks.length} blocks in a ${surface} (max ${maxBlocks})`);

  const checkOptions = (path: string, options: unknown): void => {
    if (!Array.isArray(options)) return;
    options.forEach((opt, i) => {
      if (!isObj(opt)) return;
      maxLen(`${path}[${i}].text.text`, opt.text, L.optionTextLength, 'option text');
      maxLen(`${path}[${i}].value`, opt.value, L.optionValueLength, 'option value');
      maxLen(`${path}[${i}].description.text`, opt.description, L.optionTextLength, 'option description');
    });
  };

  const checkElement = (path: string, el: unknown, actionIds?: Map<string, string>): void => {
    if (!isObj(el)) return;
    if (typeof el.action_id === 'string') {
      maxLen(`${path}.action_id`, el.action_id, L.actionIdLength, 'action_id');
      if (actionIds) {
        const first = actionIds.get(el.action_id);
        if (first) errors.push(`${path}.action_id: duplicate action_id "${el.action_id}" in the same block (first at ${first})`);
        else actionIds.set(el.action_id, path);
      }
    }
    switch (el.type) {
      case 'button':
      case 'workflow_button':
        maxLen(`${path}.text.text`, el.text, L.buttonTextLength, 'button text');
        maxLen(`${path}.value`, el.value, L.buttonValueLength, 'button value');
        maxLen(`${path}.url`, el.url, L.buttonUrlLength, 'button url');
        break;
      case 'static_select':
      case 'multi_static_select':
        maxCount(`${path}.options`, el.options, L.staticSelectOptionsCount, `${el.type} options`);
        checkOptions(`${path}.options`, el.options);
        maxCount(`${path}.option_groups`, el.option_groups, L.staticSelectOptionGroupsCount, `${el.type} option_groups`);
        if (Array.isArray(el.option_groups)) {
          el.option_groups.forEach((g, gi) => {
            if (!isObj(g)) return;
            maxCount(`${path}.option_groups[${gi}].options`, g.options, L.staticSelectOptionsCount, 'option group options');
            checkOptions(`${path}.option_groups[${gi}].options`, g.options);
          });
        }
        break;
      case 'overflow':
        maxCount(`${path}.options`, el.options, L.overflowOptionsCount, 'overflow options');
        checkOptions(`${path}.options`, el.options);
        break;
      case 'checkboxes':
        maxCount(`${path}.options`, el.options, L.checkboxesOptionsCount, 'checkboxes options');
        checkOptions(`${path}.options`, el.options);
        break;
      case 'radio_buttons':
        maxCount(`${path}.options`, el.options, L.radioButtonsOptionsCount, 'radio_buttons options');
        checkOptions(`${path}.options`, el.options);
        break;
      default:
        break;
    }
  };

  const blockIds = new Map<string, number>();
  blocks.forEach((block, i) => {
    const path = `${root}[${i}]`;
    if (!isObj(block)) {
      errors.push(`${path}: expected a block object`);
      return;
    }
    if (typeof block.block_id === 'string') {
      maxLen(`${path}.block_id`, block.block_id, L.blockIdLength, 'block_id');
      const first = blockIds.get(block.block_id);
      if (first !== undefined) errors.push(`${path}.block_id: duplicate block_id "${block.block_id}" (also ${root}[${first}])`);
      else blockIds.set(block.block_id, i);
    }
    const actionIds = new Map<string, string>();
    switch (block.type) {
      case 'section':
        maxLen(`${path}.text.text`, block.text, L.sectionTextLength, 'section text');
        maxCount(`${path}.fields`, block.fields, L.sectionFieldsCount, 'section fields');
        if (Array.isArray(block.fields)) {
          block.fields.forEach((f, fi) => maxLen(`${path}.fields[${fi}].text`, f, L.sectionFieldTextLength, 'section field'));
        }
        checkElement(`${path}.accessory`, block.accessory, actionIds);
        break;
      case 'header':
        maxLen(`${path}.text.text`, block.text, L.headerTextLength, 'header text');
        break;
      case 'actions':
        maxCount(`${path}.elements`, block.elements, L.actionsElementsCount, 'actions block elements');
        if (Array.isArray(block.elements)) block.elements.forEach((el, ei) => checkElement(`${path}.elements[${ei}]`, el, actionIds));
        break;
      case 'context':
        maxCount(`${path}.elements`, block.elements, L.contextElementsCount, 'context block elements');
        break;
      case 'input':
        maxLen(`${path}.label.text`, block.label, L.inputLabelLength, 'input label');
        maxLen(`${path}.hint.text`, block.hint, L.inputHintLength, 'input hint');
        checkElement(`${path}.element`, block.element, actionIds);
        break;
      default:
        break;
    }
  });
  return errors;
}

/**
 * Throws when `blocks` (an array of blocks, a message `{ blocks }` or a view object) breaks a documented Block
 * Kit limit for the surface; the message lists every violation with its path, e.g.
 * `blocks[3].text.text: section text is 3012 characters (max 3000)`.
 */
export function assertBlockKitLimits(blocks: unknown, surface: BlockKitSurface): void {
  const errors = collectBlockKitViolations(blocks, surface);
  if (errors.length > 0) {
    throw new Error(`Block Kit limits exceeded for a ${surface} (${errors.length}):\n  - ${errors.join('\n  - ')}`);
  }
}
