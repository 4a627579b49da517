// GPUs to H100-equivalents: one row per chip model with its dense BF16 tensor throughput (no sparsity) from
// the vendor's datasheet, divided by the H100 SXM's 989 TFLOPS. Compute, not memory or interconnect, is what
// the study's estimate counts, so an H800 (an H100 with a slower interconnect) is one H100-equivalent.

export interface ChipFactor {
  model: string;
  /** Matches the model's name in free text ("NVIDIA H100 (servers)", "A100 card"). */
  pattern: RegExp;
  denseBf16Tflops: number;
  source: string;
}

const H100_TFLOPS = 989;

export const CHIP_FACTORS: readonly ChipFactor[] = [
  { model: 'H100', pattern: /\bH100\b(?!\s*PCIe)/i, denseBf16Tflops: 989, source: 'NVIDIA H100 datasheet (SXM5)' },
  { model: 'H100 PCIe', pattern: /\bH100\s*PCIe\b/i, denseBf16Tflops: 756, source: 'NVIDIA H100 datasheet (PCIe)' },
  { model: 'H200', pattern: /\bH200\b/i, denseBf16Tflops: 989, source: 'NVIDIA H200 datasheet (SXM)' },
  { model: 'H800', pattern: /\bH800\b/i, denseBf16Tflops: 989, source: 'NVIDIA H800 datasheet (SXM)' },
  { model: 'H20', pattern: /\bH20\b/i, denseBf16Tflops: 148, source: 'NVIDIA H20 specifications as reported' },
  { model: 'A100', pattern: /\bA100\b/i, denseBf16Tflops: 312, source: 'NVIDIA A100 datasheet' },
  { model: 'A800', pattern: /\bA800\b/i, denseBf16Tflops: 312, source: 'NVIDIA A800 datasheet' },
  { model: 'L40S', pattern: /\bL40S\b/i, denseBf16Tflops: 362, source: 'NVIDIA L40S datasheet' },
  { model: 'B100', pattern: /\bB100\b/i, denseBf16Tflops: 1750, source: 'NVIDIA Blackwell datasheet (HGX B100)' },
  {
    model: 'B200',
    pattern: /\bB200\b|\bBlackwell\b/i,
    denseBf16Tflops: 2250,
    source: 'NVIDIA Blackwell datasheet (HGX B200); an unnamed Blackwell counts as a B200',
  },
];

/** H100-equivalents of one chip of this model, rounded to 3 decimals. */
export function factorOf(f: ChipFactor): number {
  return Math.round((f.denseBf16Tflops / H100_TFLOPS) * 1000) / 1000;
}

/**
 * One GPU of the model a free-text description names, in H100-equivalents; null when it names none of the
 * table's models, or several with different factors ("A100; H100").
 */
export function h100eFactor(chipModel: string | null): number | null {
  if (!chipModel) return null;
  const found = new Set(CHIP_FACTORS.filter((f) => f.pattern.test(chipModel)).map(factorOf));
  return found.size === 1 ? [...found][0] : null;
}

/** GPUs per unit: an HGX-class server holds 8, a card is one GPU; an unknown unit converts to nothing. */
export function gpusOf(quantity: number | null, unit: string): number | null {
  if (quantity === null) return null;
  if (unit === 'gpu' || unit === 'card') return quantity;
  if (unit === 'server') return quantity * 8;
  return null;
}

/** The quantity in H100-equivalents (3 decimals), when both the GPU count and the model's factor are known. */
export function h100eOf(gpus: number | null, chipModel: string | null): number | null {
  const f = h100eFactor(chipModel);
  return gpus === null || f === null ? null : Math.round(gpus * f * 1000) / 1000;
}
