"""The shared cache: Django's Redis backend, sharing one client per connection pool.

Django makes a new `redis.Redis` for every call, which costs more than the GET it
sends; a page that reads its fragments and entitlements from the cache makes a dozen
calls. A client is as safe to share between threads as the pool it draws on.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _SharingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class SharedRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharingClient
