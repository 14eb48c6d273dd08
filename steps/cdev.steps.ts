// The device cdev and iommufd: opening without BIND, BIND, ATTACH and DETACH.
import { defineParameterType } from '@cucumber/cucumber';
import { Given, Then, When } from './dsl';
import type { BindTarget, CdevSession } from '../support/vfio/cdev';
import type { TckWorld } from '../support/world/world';

const c = (world: TckWorld): CdevSession => world.cdev;

defineParameterType({ name: 'bindTarget', regexp: /the iommufd|iommufd -1|an fd that is not open|the device's own fd/, transformer: (t: string) => t as BindTarget });
defineParameterType({ name: 'ptId', regexp: /the IOAS|pt_id \d+/, transformer: (t: string) => (t === 'the IOAS' ? 'the IOAS' : Number(t.slice(6))) });

Given('the cdev of a migratable VFIO device, opened and not bound', function () { return c(this).openUnbound('device'); });
Given(/^a migratable VFIO device opened through its (cdev|group)$/, function (via: 'cdev' | 'group') { return c(this).openVia('device', via); });
When('the cdev of {device} is opened again as device {string}', function (device: string, name: string) { return c(this).openAgain(name, device, 'cdev'); });
When('the group of {device} is opened again as device {string}', function (device: string, name: string) { return c(this).openAgain(name, device, 'group'); });
When('{device} is closed', function (device: string) { return c(this).close(device); });
When('an iommufd is opened', function () { return c(this).openIommufd(); });
When('VFIO_DEVICE_BIND_IOMMUFD is issued on {device} with argsz {int}, flags {int} and {bindTarget}', function (device: string, argsz: number, flags: number, target: BindTarget) {
  return c(this).bind(device, argsz, flags, target);
});
When('{device} is bound to the iommufd', function (device: string) { return c(this).bind(device, 16, 0, 'the iommufd'); });
When('an IOAS is allocated on the iommufd', function () { return c(this).allocIoas(); });
When('VFIO_DEVICE_ATTACH_IOMMUFD_PT is issued on {device} with argsz {int}, flags {int} and {ptId}', function (device: string, argsz: number, flags: number, pt: 'the IOAS' | number) {
  return c(this).attach(device, argsz, flags, pt);
});
When('VFIO_DEVICE_DETACH_IOMMUFD_PT is issued on {device} with argsz {int} and flags {int}', function (device: string, argsz: number, flags: number) {
  return c(this).detach(device, argsz, flags);
});
Then('BIND wrote a device id', function () { c(this).checkDevid(); });
