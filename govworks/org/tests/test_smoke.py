def test_world_builds(world):
    from govworks.org import permissions as perms

    assert perms.can(world.sysadmin, perms.ORG_MANAGE, world.sub.pk)
    assert not perms.can(world.pm, perms.ORG_MANAGE, world.city.pk)
    assert world.sub.pk in perms.readable_agency_ids(world.pm)
    assert world.other.pk not in perms.readable_agency_ids(world.pm)
