// The official @superoffice/webapi client as the compatibility tests use it.

/**
 * The client `agent`, typed as the test's `Client`, recording in `exercised` each `...Async` method the tests call
 * (each suite then checks it covered every method it claims).
 */
export function tracked<Client extends object>(agent: object, exercised: Set<string>): Client {
  return new Proxy(agent as Client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof prop === 'string' && prop.endsWith('Async') && typeof value === 'function') {
        exercised.add(prop);
        return value.bind(target);
      }
      return value;
    },
  });
}

/** A valid date (the client turns the wire's dates into Date objects). */
export const isDate = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());
