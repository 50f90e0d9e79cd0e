/** A JSON object the product wrote (a message, a flow node, a response body, a schema): the spec reads the fields it expects. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- its shape is what the assertions check
export type JsonObject = Record<string, any>;
