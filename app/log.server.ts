/** Log-line safety for the app (consultations/log-safety.ts): paths without secrets, errors without data. */
export { loggableError, loggablePath } from "../consultations/log-safety";
