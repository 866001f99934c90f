/** One request's shared reads (consultations/request-scope.ts), for the app's server modules. */
export { inRequestScope, sharedRead } from "../consultations/request-scope";
