/** Whether an MQTT topic filter (`+` one level, `#` the rest) matches a topic name. */
export function mqttTopicMatches(filter: string, topic: string): boolean {
  if (filter === topic) return true;
  // Filters starting with a wildcard do not match `$SYS`-style topics (MQTT 4.7.2).
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const filterLevels = filter.split('/');
  const topicLevels = topic.split('/');
  for (let i = 0; i < filterLevels.length; i += 1) {
    const level = filterLevels[i];
    if (level === '#') return true;
    if (i >= topicLevels.length) return false;
    if (level !== '+' && level !== topicLevels[i]) return false;
  }
  return filterLevels.length === topicLevels.length;
}
