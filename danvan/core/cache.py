"""The shared cache of the embedded default: Django's database cache, with an atomic `incr`.

Every process of an installation (several app servers, a worker, cron's `run-daily`) must see the same
cache: the working-day calendar's version, the menu's counts, the portal's and Open311's rate counters
(django-ratelimit), the portal's nonces. Without `REDIS_URL` the cache is this one, in the table
`danvan_cache` of the default database (created by `core`'s migration, so wherever `migrate` runs);
with `REDIS_URL` it is Redis.

django-ratelimit needs a shared cache whose `incr` is atomic (its system check calls Django's database
cache "does not support atomic increment"): Django's `incr` reads, adds and writes back, so two requests
at once may count one, and it also resets the entry's expiry to the default timeout (which would
stretch or shorten a rate window). This `incr` locks the entry's row first (a no-op UPDATE: a row lock
on PostgreSQL, the write lock on SQLite), then reads and writes it in the same transaction, keeping
its expiry — as Redis's INCR does.
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction
from django.utils import timezone

TABLE = "danvan_cache"


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        now = connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {quote('cache_key')} = {quote('cache_key')} WHERE {quote('cache_key')} = %s",
                [key],
            )
            cursor.execute(
                f"SELECT {quote('value')} FROM {table} WHERE {quote('cache_key')} = %s AND {quote('expires')} > %s",
                [key, now],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found.")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode())) + delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {quote('value')} = %s WHERE {quote('cache_key')} = %s",
                [encoded, key],
            )
        return value

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version=version)
