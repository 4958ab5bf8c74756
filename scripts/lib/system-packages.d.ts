/** Types of system-packages.js, for the TypeScript tests and globalSetups that use it. */
export type SystemPackageName = 'redis-server' | 'postgresql' | 'chromium' | 'g++' | 'make' | 'python3';

export function ensureSystemPackages<Name extends SystemPackageName>(
	names: readonly Name[],
	options?: { log?: (line: string) => void },
): Promise<Record<Name, string>>;

export const SYSTEM_PACKAGES: Record<SystemPackageName, { debianPackage: string; lookedFor: string; find(): string | undefined }>;
