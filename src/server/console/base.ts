/** Where the console is served: its own module, so the service can route to it before loading it. */
export const BASE = "/ui";
