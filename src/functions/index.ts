/**
 * The deployed app's entry point (package.json "main"): the Functions host loads this module, which
 * registers every function with settings from the environment (app settings). Nothing else in the
 * product registers functions at import time.
 */
import { settingsSource } from "../config/settings";
import { TableFrontierStore } from "../adapters/table/frontier-store";
import { registerApp } from "./app";
import { frontDoorDepsFromSettings, lazy } from "./front-door";
import { servicesFromSettings } from "./services";

const get = settingsSource(process.env);
const services = servicesFromSettings(get);

registerApp({
  frontDoor: frontDoorDepsFromSettings(get),
  services: () => services,
  frontier: lazy(() => TableFrontierStore.fromSettings(get)),
});
