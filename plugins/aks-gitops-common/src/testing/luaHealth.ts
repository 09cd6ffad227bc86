/**
 * Test helper: runs an Argo CD health-check script in a real Lua VM (fengari), the way Argo CD
 * does (argo-cd v3.2.5 util/lua: the live object as global `obj`, the script's return value a
 * table with `status` and `message`). JSON numbers become Lua numbers, as Argo CD decodes them.
 */
import { lauxlib, lua, lualib, to_luastring, type LuaState } from 'fengari';

export interface HealthStatus {
  status: string | null;
  message: string | null;
}

function push(L: LuaState, value: unknown): void {
  if (value === null || value === undefined) {
    lua.lua_pushnil(L);
  } else if (typeof value === 'boolean') {
    lua.lua_pushboolean(L, value);
  } else if (typeof value === 'number') {
    lua.lua_pushnumber(L, value);
  } else if (typeof value === 'string') {
    lua.lua_pushstring(L, to_luastring(value));
  } else if (Array.isArray(value)) {
    lua.lua_createtable(L, value.length, 0);
    value.forEach((item, index) => {
      push(L, item);
      lua.lua_rawseti(L, -2, index + 1);
    });
  } else if (typeof value === 'object') {
    const entries = Object.entries(value);
    lua.lua_createtable(L, 0, entries.length);
    for (const [key, item] of entries) {
      push(L, item);
      lua.lua_setfield(L, -2, to_luastring(key));
    }
  } else {
    throw new Error(`cannot pass a ${typeof value} to Lua`);
  }
}

function stringField(L: LuaState, key: string): string | null {
  const type = lua.lua_getfield(L, -1, to_luastring(key));
  const text = type === lua.LUA_TNIL ? null : lua.lua_tojsstring(L, -1);
  lua.lua_settop(L, -2);
  return text;
}

/** The `{ status, message }` the script returns for `obj`; throws on a Lua error. */
export function runHealthCheck(script: string, obj: unknown): HealthStatus {
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  push(L, obj);
  lua.lua_setglobal(L, to_luastring('obj'));
  if (
    lauxlib.luaL_loadstring(L, to_luastring(script)) !== lua.LUA_OK ||
    lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK
  ) {
    throw new Error(
      `Lua error: ${lua.lua_tojsstring(L, -1) ?? '(no message)'}`,
    );
  }
  return {
    status: stringField(L, 'status'),
    message: stringField(L, 'message'),
  };
}
