// Validation of case input, shared by the HTTP routes and the CLI (user-supplied: parsed strictly).
import { z } from 'zod';
import { profileSchema } from '../redflags/profile.js';
import { MITIGATIONS } from './workflow.js';

const reason = z.string().trim().min(1).max(4000);
export const actionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('assess'), risk: z.enum(['low', 'high']), reason }).strict(),
  z
    .object({
      action: z.literal('check'),
      item: z.string().max(100),
      outcome: z.enum(['ok', 'concern', 'not-applicable']),
      reason,
    })
    .strict(),
  z.object({ action: z.literal('complete-vetting'), reason }).strict(),
  z
    .object({
      action: z.literal('decide'),
      decision: z.enum(MITIGATIONS),
      reason,
      maxQuantity: z.number().int().positive().optional(),
      stages: z.number().int().min(2).max(100).optional(),
      bisReference: z.string().max(200).optional(),
    })
    .strict(),
  z.object({ action: z.literal('ship'), shippedAt: z.string().datetime({ offset: true }).optional(), reason }).strict(),
  z
    .object({
      action: z.literal('verify'),
      kind: z.enum(['one-week', 'six-month']),
      result: z.enum(['passed', 'failed']),
      source: z.enum(['location-verification', 'inspection', 'customer-attestation']),
      ref: z.string().min(1).max(200),
      observedAt: z.string().datetime({ offset: true }).optional(),
      summary: z.string().max(2000).optional(),
      reason,
    })
    .strict(),
  z.object({ action: z.literal('note'), reason }).strict(),
  z
    .object({
      action: z.literal('override'),
      hits: z
        .array(z.string().regex(/^h\d{1,4}$/, 'a hit id such as h1'))
        .min(1)
        .max(500),
      reason,
    })
    .strict(),
  z
    .object({ action: z.literal('resolve'), hit: z.string().regex(/^h\d{1,4}$/, 'a hit id such as h1'), reason })
    .strict(),
]);
export const openBody = z
  .object({
    subjectKind: z.enum(['customer', 'order']).default('customer'),
    subjectRef: z.string().trim().min(1).max(200).optional(),
    profile: profileSchema,
    reason: reason.default('case opened'),
  })
  .strict();
