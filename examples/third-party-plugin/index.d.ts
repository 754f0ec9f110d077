import type { DestinationDefinition } from "syncline/sdk";

export interface NotesConfig {
  apiKey: string;
  baseUrl: string;
}

declare const plugin: DestinationDefinition<NotesConfig>;
export default plugin;
