// One link's request: HEAD, the cheapest a checker can send.
export async function check(url) {
  const response = await fetch(url, { method: 'HEAD', cache: 'no-store', credentials: 'omit' });
  await response.body?.cancel();
}
