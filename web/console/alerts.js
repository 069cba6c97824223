// What wants the agent while they look elsewhere (the tab hidden): a new chat in the queue, a chat offered to them,
// a customer's message in their chat. A short sound (can be muted; remembered in this browser) and a desktop
// notification once the browser's permission prompt allowed it. The tab title counts what waits (main.js).
const MUTED = 'parley.console.muted';

export function createAlerts(soundButton, permissionButton) {
  let muted = localStorage.getItem(MUTED) === '1';
  const canNotify = () => 'Notification' in window;

  const drawSound = () => {
    soundButton.textContent = muted ? 'Sound off' : 'Sound on';
    soundButton.setAttribute('aria-pressed', String(!muted));
  };
  const drawPermission = () => { permissionButton.hidden = !canNotify() || Notification.permission !== 'default'; };
  soundButton.addEventListener('click', () => {
    muted = !muted;
    localStorage.setItem(MUTED, muted ? '1' : '0');
    drawSound();
  });
  // The browser asks only from a click: the agent decides, once.
  permissionButton.addEventListener('click', async () => {
    try { await Notification.requestPermission(); } finally { drawPermission(); }
  });
  drawSound();
  drawPermission();

  function chime() {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.frequency.value = 880;
    volume.gain.setValueAtTime(0.15, audio.currentTime);
    volume.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.35);
    tone.connect(volume).connect(audio.destination);
    tone.onended = () => audio.close();
    tone.start();
    tone.stop(audio.currentTime + 0.35);
  }

  return {
    /** `tag` folds repeats of one thing (the same chat) into one notification. */
    raise(title, body, tag) {
      if (!document.hidden) return;
      if (!muted) { try { chime(); } catch { /* no audio device: the notification still shows */ } }
      if (canNotify() && Notification.permission === 'granted') {
        const n = new Notification(title, { body, tag });
        n.onclick = () => { window.focus(); n.close(); };
      }
    },
  };
}
