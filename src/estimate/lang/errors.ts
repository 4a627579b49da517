// Errors in a model: a plain sentence and the line:column where it happened.
import { UserError } from '../../errors.js';

export interface Pos {
  line: number;
  column: number;
  offset: number;
}

export class ModelError extends UserError {
  override readonly code = 'model';
  readonly pos: Pos | undefined;
  constructor(message: string, pos?: Pos) {
    super(message, pos ? { line: pos.line, column: pos.column } : {});
    this.pos = pos;
  }
}

/** A parse error: the text is not in the language. */
export class ModelSyntaxError extends ModelError {}
