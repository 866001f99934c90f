import type { z } from "zod";
import { invalid } from "./errors";
import { fieldErrors } from "./schemas";

/** Parses input with a zod schema; on failure throws an "invalid" DomainError with field messages. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, message = "Please correct the form."): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalid(message, fieldErrors(result.error));
  return result.data;
}
