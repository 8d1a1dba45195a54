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

With `REDIS_URL` the cache is `FailoverCache`: Redis, and this database cache while Redis is out of
reach (stopped, restarting, hung: its socket timeouts are short, settings.CACHES). The first operation
that meets a redis-py ConnectionError or TimeoutError logs one warning, and for PAUSE_SECONDS this
process leaves Redis alone: every operation is the database cache's. The first operation after the
pause tries Redis again; when Redis answers, it is told to forget the keys written meanwhile (its older
values would otherwise come back: a working-day calendar changed during the outage), and Redis serves
again. Each side's `incr` is atomic, so django-ratelimit's add + incr counts right on either; a count
started on one side goes on from zero on the other (a rate window restarts once, at worst).
"""

import base64
import logging
import pickle
import threading
import time

import redis.exceptions
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connections, router, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

TABLE = "danvan_cache"
MAX_ENTRIES = 100_000  # the database cache's size (the embedded default's too, settings.CACHES)
PAUSE_SECONDS = 5.0  # after Redis failed, this process leaves it alone this long
REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


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


class _Outage:
    """One process's view of one Redis: left alone until `until` (time.monotonic()), and what was
    written to the database cache meanwhile, for Redis to forget when it is back."""

    def __init__(self) -> None:
        self.until = 0.0
        self.down = False
        self.written: set[tuple[str, int | None]] = set()  # (key, version)
        self.cleared = False

    def due(self) -> bool:
        return time.monotonic() >= self.until

    def begin(self, error: Exception) -> None:
        if not self.down:
            logger.warning("Redis is out of reach (%s): the cache is the database's for now.", error)
        self.down = True
        self.until = time.monotonic() + PAUSE_SECONDS

    def catch_up(self, primary: BaseCache) -> None:
        """Make Redis forget what changed while it was away (raises REDIS_DOWN if it is still away)."""
        if self.cleared:
            primary.clear()
            self.cleared = False
            self.written.clear()
        for key, version in list(self.written):
            primary.delete(key, version=version)
            self.written.discard((key, version))

    def end(self) -> None:
        if self.down:
            logger.warning("Redis answers again: the cache is Redis's.")
            self.down = False


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_of(location: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


class FailoverCache(BaseCache):
    """Redis at LOCATION (OPTIONS go to redis-py: its timeouts), the database cache while Redis is away."""

    def __init__(self, location, params):
        super().__init__(params)
        self._outage = _outage_of(location)
        self._primary = RedisCache(location, params)
        self._fallback = DatabaseCache(TABLE, {**params, "OPTIONS": {"MAX_ENTRIES": MAX_ENTRIES}})

    def _run(self, method: str, *args, written=(), **kwargs):
        outage = self._outage
        if outage.due():
            try:
                outage.catch_up(self._primary)
                result = getattr(self._primary, method)(*args, **kwargs)
            except REDIS_DOWN as error:
                outage.begin(error)
            else:
                outage.end()
                return result
        outage.cleared = outage.cleared or method == "clear"
        outage.written.update((key, kwargs.get("version")) for key in written)
        return getattr(self._fallback, method)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run("add", key, value, timeout, version=version, written=[key])

    def get(self, key, default=None, version=None):
        return self._run("get", key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run("set", key, value, timeout, version=version, written=[key])

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run("touch", key, timeout, version=version, written=[key])

    def delete(self, key, version=None):
        return self._run("delete", key, version=version, written=[key])

    def get_many(self, keys, version=None):
        return self._run("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._run("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._run("incr", key, delta, version=version, written=[key])

    def decr(self, key, delta=1, version=None):
        return self._run("decr", key, delta, version=version, written=[key])

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run("set_many", data, timeout, version=version, written=list(data))

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._run("delete_many", keys, version=version, written=keys)

    def clear(self):
        return self._run("clear")

    @property
    def serving(self) -> str:
        """Which side this process uses now, for /healthz: "redis", or "database" while Redis is away."""
        return "database" if self._outage.down else "redis"

    def close(self, **kwargs):
        self._primary.close(**kwargs)
        self._fallback.close(**kwargs)
