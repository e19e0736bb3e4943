import { apiRequest } from '@/lib/api-client';

/** Endpoints of spec §5.1 served by the auth service. */

export interface LoginInput {
  email: string;
  password: string;
}

export interface RegisterInput {
  email: string;
  username: string;
  password: string;
}

export function login(input: LoginInput): Promise<unknown> {
  return apiRequest<unknown>('/auth/login', { method: 'POST', body: input });
}

export function register(input: RegisterInput): Promise<unknown> {
  return apiRequest<unknown>('/auth/register', { method: 'POST', body: input });
}
