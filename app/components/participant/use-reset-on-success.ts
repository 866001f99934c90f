import { useActionData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { ParticipantResult } from "./results";

/**
 * For a <Form> that redirects on success (post/redirect/get): once its submission has finished
 * without a failure, resets the form (empties a new comment) and closes its <details>, if any.
 * `matches` tells this form's submissions apart from the page's other forms.
 */
export function useResetOnSuccess(matches: (data: FormData) => boolean) {
  const ref = useRef<HTMLFormElement>(null);
  const navigation = useNavigation();
  const result = useActionData<ParticipantResult>();
  const mine = useRef(false);
  const matchesRef = useRef(matches);
  matchesRef.current = matches;

  useEffect(() => {
    if (navigation.state !== "idle") {
      if (navigation.formData && matchesRef.current(navigation.formData)) mine.current = true;
      return;
    }
    if (!mine.current) return;
    mine.current = false;
    if (result && !result.ok) return;
    const form = ref.current;
    if (!form) return;
    form.reset();
    const details = form.closest("details");
    if (details) details.open = false;
  }, [navigation.state, navigation.formData, result]);

  return ref;
}
