// Errors in a model: a plain sentence and where it happened: the model's line:column, or the request
// field at fault (an override in `set`, a threshold) when the model text is not.
import { UserError } from '../../errors.js';

export interface Pos {
  line: number;
  column: number;
  offset: number;
  /**
   * Set inside an override's expression (`set: { NAME: EXPR }`): the binding it replaces. Line and
   * column then count in EXPR, which the user wrote as an argument, not in the model.
   */
  override?: string;
}

export class ModelError extends UserError {
  override readonly code = 'model';
  readonly pos: Pos | undefined;
  /**
   * `field` names the request field at fault (`set.NAME`, `thresholds.NAME`); a position inside an
   * override names its `set.NAME` by itself, with the column in the override's expression.
   */
  constructor(message: string, pos?: Pos, field = pos?.override === undefined ? undefined : `set.${pos.override}`) {
    const at = pos ? { line: pos.line, column: pos.column } : {};
    super(message, field !== undefined ? { field, ...(pos && { column: pos.column }) } : at);
    this.pos = pos;
  }
}

/** A parse error: the text is not in the language. */
export class ModelSyntaxError extends ModelError {}
