-- Built-in roles. Administrators are split three ways and hold no business permissions.
INSERT INTO role (name, name_en, description, kind, permissions, builtin) VALUES
  ('系统管理员', 'System administrator', '系统配置、账号建立与停用、网格树维护', 'system',
    ARRAY['settings.manage','account.read','account.manage','grid.read','grid.manage','department.read','department.manage'], true),
  ('安全管理员', 'Security administrator', '角色与授权、解锁、密码策略', 'security',
    ARRAY['account.read','account.unlock','role.read','role.manage','policy.manage','grid.read','department.read'], true),
  ('审计管理员', 'Audit administrator', '审计日志查询与导出（只读）', 'audit',
    ARRAY['audit.read','audit.export','grid.read'], true),
  ('网格员', 'Grid worker', '本网格巡查、上报、当场办结', 'business',
    ARRAY['grid.read','grid.staff.read','department.read','matter.read','matter.report','matter.handle','matter.sign'], true),
  ('村（社区）工作人员', 'Village / community staff', '受理、处置、核查本村（社区）事项', 'business',
    ARRAY['grid.read','grid.staff.read','department.read','matter.read','matter.report','matter.accept','matter.dispatch','matter.sign','matter.handle','matter.verify','matter.escalate','matter.unmask'], true),
  ('乡镇（街道）指挥中心', 'Town command centre', '分拨、督办、核查本乡镇（街道）事项', 'business',
    ARRAY['grid.read','grid.staff.read','department.read','matter.read','matter.report','matter.accept','matter.dispatch','matter.sign','matter.handle','matter.verify','matter.escalate','matter.supervise','matter.unmask','matter.export'], true),
  ('区县指挥中心', 'County command centre', '全区（县）分拨、督办、统计', 'business',
    ARRAY['grid.read','grid.staff.read','department.read','matter.read','matter.report','matter.accept','matter.dispatch','matter.sign','matter.handle','matter.verify','matter.escalate','matter.supervise','matter.unmask','matter.export','category.manage'], true),
  ('部门处置人员', 'Department handler', '签收、处置本部门职责范围内的事项', 'business',
    ARRAY['grid.read','department.read','matter.read','matter.sign','matter.handle','matter.escalate','matter.unmask'], true);
