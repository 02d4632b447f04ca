import { signal } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { markPageLanguage } from '@/components/l10n';
import { type AnswerState, applyAnswerMessage } from '@/utils/menu/answer-state';
import { ANSWER_PORT, type AnswerClientMessage, type AnswerServerMessage } from '@/utils/menu/protocol';
import '@/components/theme.css';
import '@/components/RunSummary.css';
import { AnswerApp } from './App';
import './style.css';

type Port = {
  postMessage(m: AnswerClientMessage): void;
  onMessage: { addListener(l: (m: AnswerServerMessage) => void): void };
  onDisconnect: { addListener(l: () => void): void };
};

markPageLanguage();
const root = document.getElementById('app') as HTMLElement;
const id = new URLSearchParams(location.search).get('id') ?? '';
const state = signal<AnswerState>({ check: null, unavailable: null });
let port: Port | null = null;
// A stopped worker closes the port: connect again; the background finds the check in session storage and goes on.
const connect = () => {
  port = browser.runtime.connect({ name: ANSWER_PORT }) as unknown as Port;
  port.onMessage.addListener((message) => {
    state.value = applyAnswerMessage(state.value, id, message);
  });
  port.onDisconnect.addListener(() => setTimeout(connect, 100));
  port.postMessage({ type: 'answer-watch', id });
};
if (id === '') state.value = { check: null, unavailable: 'no-check' };
else connect();

render(<AnswerApp state={state} onStop={() => port?.postMessage({ type: 'answer-stop', id })} />, root);
