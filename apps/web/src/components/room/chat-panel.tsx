"use client";

import { CHAT_MAX_LENGTH } from "@sync-beats/protocol";
import type { ChatFeed } from "@sync-beats/sync-engine";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useChat } from "@/lib/use-chat";
import styles from "./chat.module.css";

/**
 * The room chat [CH3]: every name and message is a React text node in its own `<bdi>` (never
 * HTML, links not made clickable), so nothing a member types can run or restyle the page.
 * The owner sees "remove" on each message [CH6].
 */
export function ChatPanel({ feed, isOwner, disabled }: { feed: ChatFeed | null; isOwner: boolean; disabled: boolean }) {
  const { messages, lastRefusal } = useChat(feed);
  const [text, setText] = useState("");
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => {
    const element = list.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [messages]);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!feed || text.trim().length === 0) return;
    if (feed.send(text) !== null) setText("");
  }

  return (
    <section className="card" aria-labelledby="chat-title" data-testid="chat-panel">
      <h2 id="chat-title">Chat</h2>
      {messages.length === 0 ? (
        <p className="empty">No messages yet.</p>
      ) : (
        <ol ref={list} className={styles.messages} data-testid="chat-messages" aria-live="polite">
          {messages.map((message) => (
            <li key={message.messageId} className={styles.message} data-message-id={message.messageId} data-testid="chat-message">
              <bdi className={styles.author} data-testid="chat-author">
                {message.from.name}
              </bdi>
              <bdi className={styles.text} dir="auto" data-testid="chat-text">
                {message.text}
              </bdi>
              {isOwner && (
                <button
                  type="button"
                  className="ghost small"
                  onClick={() => feed?.removeMessage(message.messageId)}
                  aria-label={`Remove the message from ${message.from.name}`}
                  data-testid="chat-remove"
                >
                  remove
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      <form className={styles.form} onSubmit={submit}>
        <label htmlFor="chat-input" className={styles.hidden}>
          Message
        </label>
        <input
          id="chat-input"
          data-testid="chat-input"
          value={text}
          maxLength={CHAT_MAX_LENGTH}
          autoComplete="off"
          placeholder="Say something"
          onChange={(event) => setText(event.target.value)}
          disabled={disabled}
        />
        <button type="submit" className="small" disabled={disabled || text.trim().length === 0} data-testid="chat-send">
          Send
        </button>
      </form>
      {lastRefusal && (
        <p className="error small" role="alert" data-testid="chat-refusal">
          {lastRefusal.message}
        </p>
      )}
    </section>
  );
}
