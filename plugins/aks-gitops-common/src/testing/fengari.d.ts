/** The part of fengari (a Lua 5.3 VM in JavaScript, no types of its own) the health-check tests use. */
declare module 'fengari' {
  /** An opaque Lua state. */
  export interface LuaState {
    readonly __luaState: unique symbol;
  }
  export function to_luastring(text: string): Uint8Array;
  export const lua: {
    LUA_OK: number;
    LUA_TNIL: number;
    lua_createtable(L: LuaState, narr: number, nrec: number): void;
    lua_getfield(L: LuaState, index: number, key: Uint8Array): number;
    lua_pcall(
      L: LuaState,
      nargs: number,
      nresults: number,
      msgh: number,
    ): number;
    lua_pushboolean(L: LuaState, value: boolean): void;
    lua_pushnil(L: LuaState): void;
    lua_pushnumber(L: LuaState, value: number): void;
    lua_pushstring(L: LuaState, value: Uint8Array): void;
    lua_rawseti(L: LuaState, index: number, n: number): void;
    lua_setfield(L: LuaState, index: number, key: Uint8Array): void;
    lua_setglobal(L: LuaState, name: Uint8Array): void;
    lua_settop(L: LuaState, index: number): void;
    lua_tojsstring(L: LuaState, index: number): string | null;
    lua_type(L: LuaState, index: number): number;
  };
  export const lauxlib: {
    luaL_newstate(): LuaState;
    luaL_loadstring(L: LuaState, source: Uint8Array): number;
  };
  export const lualib: {
    luaL_openlibs(L: LuaState): void;
  };
}
