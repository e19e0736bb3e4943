import { apiRequest } from '@/lib/api-client';
import type { SessionResponse } from '@/lib/auth-types';

/** Register and log in (docs/api/auth.md). Refresh, logout and the session itself: `src/lib/session.ts`. */

export interface LoginInput {
  /** The email or the username. */
  login: string;
  password: string;
}

export interface RegisterInput {
  email: string;
  username: string;
  password: string;
}

export function login(input: LoginInput): Promise<SessionResponse> {
  return apiRequest<SessionResponse>('/auth/login', { method: 'POST', body: input, auth: false });
}

export function register(input: RegisterInput): Promise<SessionResponse> {
  return apiRequest<SessionResponse>('/auth/register', { method: 'POST', body: input, auth: false });
}
