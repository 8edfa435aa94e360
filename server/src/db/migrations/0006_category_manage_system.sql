-- Categories and their time limits are deployment configuration: the system administrator keeps them (issue 3:
-- "Category and time-limit settings (system admin)"), not a business role. Moving `category.manage` into the
-- system administrator's kind means a role can no longer hold it beside business permissions (no super-admin),
-- so it is taken off every business role, built-in or custom, and given to the built-in system administrator.
UPDATE role SET permissions = array_remove(permissions, 'category.manage') WHERE kind <> 'system';
UPDATE role SET permissions = permissions || ARRAY['category.manage']
  WHERE builtin AND kind = 'system' AND NOT ('category.manage' = ANY (permissions));
