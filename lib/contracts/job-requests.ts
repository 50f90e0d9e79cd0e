/** The request bodies of the robots' API (POST /api/jobs and its actions); schemas/job.schema.json is the contract. */
export interface JobSubmitRequest {
  workflow_id?: string;
  chain_id?: string;
  params?: Record<string, unknown>;
  labels?: string[];
  priority?: number;
  idempotency_key?: string;
  mode?: 'observe' | 'coach' | 'confirm' | 'auto';
}

export interface JobRetryRequest {
  from_node?: string;
}

export interface JobCloseRequest {
  outcome: 'succeeded' | 'failed' | 'cancelled';
  note?: string;
}
