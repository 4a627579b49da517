// Cells chipwatch writes to CSV and XLSX files are neutralised against formula injection (OWASP "CSV
// injection"): a value that a spreadsheet would run as a formula gets a leading apostrophe, and only
// such values, so numbers and phone numbers stay as they were filed.

const TRIGGER = /^[=+\-@\t\r]/;
/** A plain number: optional sign, digits with an optional fraction, optional exponent (-12.5, +3, 1e-7). */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** A phone number: + or - then only digits, spaces, dots, hyphens, slashes and parentheses (+65 6123 4567). */
const PHONE = /^[+-][\d ()./-]*\d[\d ()./-]*$/;

/**
 * The rule: a cell is prefixed with ' when it starts with =, +, -, @, tab or CR, unless it is a plain
 * number or a phone number (sign, digits, spaces, . - / and parentheses), which holds no function name
 * or reference a spreadsheet could run.
 */
export function isFormulaLike(value: string): boolean {
  return TRIGGER.test(value) && !PLAIN_NUMBER.test(value) && !PHONE.test(value);
}

/** The value as it may be written to a CSV or XLSX cell: non-strings unchanged, formula-like strings prefixed. */
export function safeCell<T>(value: T): T | string {
  return typeof value === 'string' && isFormulaLike(value) ? `'${value}` : value;
}

/** Every cell of every record through safeCell. */
export function safeRecords<T>(records: readonly (readonly T[])[]): (T | string)[][] {
  return records.map((r) => r.map(safeCell));
}
