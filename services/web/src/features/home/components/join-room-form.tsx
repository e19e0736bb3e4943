import { useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ArrowRight } from 'lucide-react';

import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { INVITE_ERROR_MESSAGES, parseInviteInput } from '@/lib/invite-code';

/** "Join a room": takes a code or a pasted invite link and opens that room's page. */
export function JoinRoomForm() {
  const navigate = useNavigate();
  const inputRef = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const result = parseInviteInput(value);
    if (!result.ok) {
      setError(INVITE_ERROR_MESSAGES[result.error]);
      inputRef.current?.focus();
      return;
    }
    void navigate(`/r/${result.code}`);
  };

  return (
    <form noValidate aria-label="Join a room" className="flex flex-col gap-4" onSubmit={onSubmit}>
      <Input
        ref={inputRef}
        label="Invite code or link"
        name="invite"
        placeholder="e.g. K7QM2XPA"
        autoComplete="off"
        autoCapitalize="characters"
        autoCorrect="off"
        spellCheck={false}
        enterKeyHint="go"
        hint="8 characters, or paste the whole invite link."
        error={error}
        value={value}
        data-testid="join-code-input"
        onChange={(event) => {
          setValue(event.target.value);
          if (error !== null) setError(null);
        }}
      />
      <Button type="submit" size="lg" fullWidth data-testid="join-code-submit">
        Join room
        <ArrowRight aria-hidden="true" className="h-4 w-4" />
      </Button>
    </form>
  );
}
