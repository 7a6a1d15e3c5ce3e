-- Argo CD health check for every taskrouter.operator.dev kind (Workspace, Activity,
-- TaskQueue, Workflow, Worker, TaskChannel). It reads the kstatus conditions the operator writes:
-- Ready, Reconciling and Stalled, each stamped with the generation it describes.
--
--   Stalled=True for this generation              -> Degraded (retrying cannot help)
--   Ready=False, reason Drifted, this generation   -> Degraded (ObserveOnly: TaskRouter differs from Git)
--   Ready=True and status.observedGeneration
--     equal to metadata.generation                 -> Healthy
--   anything else (no status yet, Reconciling,
--     conditions of an older generation)           -> Progressing
--
-- Argo CD runs this with the Lua standard libraries off (no string.*), so it uses only
-- the base library. Install: config/argocd/argocd-cm-patch.yaml, or docs/gitops.md.
local hs = {}

local generation = nil
if obj.metadata ~= nil then
  generation = obj.metadata.generation
end

local function conditionOf(status, conditionType)
  if status == nil or status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

-- current: the condition describes the spec as it is now, not an older generation.
local function current(c)
  if generation == nil then
    return true
  end
  local stamped = c.observedGeneration
  if stamped == nil and obj.status ~= nil then
    stamped = obj.status.observedGeneration
  end
  return stamped == generation
end

local function describe(c)
  local reason = c.reason or ""
  local message = c.message or ""
  if reason ~= "" and message ~= "" then
    return reason .. ": " .. message
  end
  return reason .. message
end

local status = obj.status
local ready = conditionOf(status, "Ready")
local reconciling = conditionOf(status, "Reconciling")
local stalled = conditionOf(status, "Stalled")

if ready == nil and reconciling == nil and stalled == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator's first reconcile"
  return hs
end

if stalled ~= nil and stalled.status == "True" and current(stalled) then
  hs.status = "Degraded"
  hs.message = describe(stalled)
  return hs
end

local concluded = status.observedGeneration ~= nil and (generation == nil or status.observedGeneration == generation)

if ready ~= nil and ready.status == "True" and current(ready) and concluded then
  hs.status = "Healthy"
  hs.message = describe(ready)
  return hs
end

if ready ~= nil and ready.status == "False" and ready.reason == "Drifted" and current(ready) and concluded then
  hs.status = "Degraded"
  hs.message = describe(ready)
  return hs
end

if reconciling ~= nil and reconciling.status == "True" and current(reconciling) then
  hs.status = "Progressing"
  hs.message = describe(reconciling)
  return hs
end

hs.status = "Progressing"
if generation ~= nil then
  local seen = "none"
  if status.observedGeneration ~= nil then
    seen = tostring(status.observedGeneration)
  end
  hs.message = "Waiting for the operator to reconcile generation " .. tostring(generation) .. " (last reconciled: " .. seen .. ")"
else
  hs.message = "Waiting for the operator to reconcile"
end
return hs
