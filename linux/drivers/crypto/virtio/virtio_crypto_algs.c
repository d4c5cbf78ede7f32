// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-crypto algorithm registry.
 *
 * Algorithms are shared by all bound devices: an algorithm is registered
 * with the crypto API while at least one device advertises it, and each
 * entry counts those devices. The algorithm files (skcipher, ahash) hand
 * their tables to this file at module init.
 */
#include <linux/bitmap.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <crypto/algapi.h>

#include "virtio_crypto_common.h"

static struct vcrypto_alg_entry *vcrypto_algs[VCRYPTO_MAX_ALGS];
static unsigned int vcrypto_nr_algs;
static DEFINE_MUTEX(vcrypto_algs_mutex);

static void vcrypto_algs_reap(struct work_struct *work);
static DECLARE_DELAYED_WORK(vcrypto_algs_reaper, vcrypto_algs_reap);

/**
 * vcrypto_algs_add - make an algorithm known to the registry
 * @entry: the entry, with @service, @algo, @base, @reg and @unreg set
 *
 * Called at module init, before any device is bound.
 *
 * Return: 0, or -ENOSPC when the table is full (a driver bug).
 */
int vcrypto_algs_add(struct vcrypto_alg_entry *entry)
{
	if (WARN_ON(vcrypto_nr_algs == VCRYPTO_MAX_ALGS))
		return -ENOSPC;
	vcrypto_algs[vcrypto_nr_algs++] = entry;
	return 0;
}

/*
 * Unregister @e if nothing uses it. crypto_unregister_alg() warns when a
 * tfm or a template instance still holds the algorithm, which happens when
 * a device is unbound under load; such an algorithm is kept registered but
 * marked dying instead, so lookups skip it (a fresh generic instance is
 * built), and the reaper unregisters it once its users are gone. Called
 * with vcrypto_algs_mutex held.
 */
static void vcrypto_alg_retire(struct vcrypto_alg_entry *e)
{
	if (refcount_read(&e->base->cra_refcnt) == 1) {
		e->unreg(e);
		e->orphaned = false;
		return;
	}
	if (!e->orphaned) {
		e->orphaned = true;
		e->base->cra_flags |= CRYPTO_ALG_DYING;
		schedule_delayed_work(&vcrypto_algs_reaper, HZ);
	}
}

static void vcrypto_algs_reap(struct work_struct *work)
{
	bool again = false;
	unsigned int i;

	mutex_lock(&vcrypto_algs_mutex);
	for (i = 0; i < vcrypto_nr_algs; i++) {
		struct vcrypto_alg_entry *e = vcrypto_algs[i];

		if (!e->orphaned || e->refs)
			continue;
		e->orphaned = false;
		vcrypto_alg_retire(e);
		again |= e->orphaned;
	}
	mutex_unlock(&vcrypto_algs_mutex);
	if (again)
		schedule_delayed_work(&vcrypto_algs_reaper, HZ);
}

/**
 * vcrypto_algs_register - register what a device advertises
 * @vc: a ready device, already on the device list
 *
 * Registration runs the testmgr self-tests, which reach the device through
 * a tfm. An algorithm still registered from an unbound device (see
 * vcrypto_alg_retire()) is revived. An entry's optional @usable check can
 * veto an advertised algorithm (e.g. the device refuses its sessions).
 * A failure leaves the other algorithms usable.
 */
void vcrypto_algs_register(struct vcrypto_dev *vc)
{
	struct vcrypto_alg_entry *e;
	unsigned int i;
	int err;

	mutex_lock(&vcrypto_algs_mutex);
	for (i = 0; i < vcrypto_nr_algs; i++) {
		e = vcrypto_algs[i];
		if (!vcrypto_dev_has_algo(vc, e->service, e->algo) ||
		    (e->algo2 &&
		     !vcrypto_dev_has_algo(vc, e->service2, e->algo2))) {
			dev_dbg(&vc->vdev->dev, "%s: not advertised\n",
				e->base->cra_name);
			continue;
		}
		if (e->usable && !e->usable(vc, e)) {
			dev_info(&vc->vdev->dev,
				 "%s: advertised, but the device fails it (probe)\n",
				 e->base->cra_name);
			continue;
		}
		if (!e->refs && e->orphaned) {
			e->orphaned = false;
			e->base->cra_flags &= ~CRYPTO_ALG_DYING;
		} else if (!e->refs) {
			/*
			 * A device unbound earlier left DEAD (and maybe DYING)
			 * set, and registration does not clear them: lookups
			 * would skip the algorithm.
			 */
			e->base->cra_flags &= ~(CRYPTO_ALG_DEAD |
						CRYPTO_ALG_DYING);
			e->base->cra_priority = vcrypto_priority *
						(e->prio_mul ?: 1);
			err = e->reg(e);
			if (err) {
				dev_err(&vc->vdev->dev,
					"registering %s failed: %d\n",
					e->base->cra_driver_name, err);
				continue;
			}
		}
		e->refs++;
		__set_bit(i, vc->registered);
	}
	mutex_unlock(&vcrypto_algs_mutex);
}

/**
 * vcrypto_algs_unregister - drop a device's registrations
 * @vc: the device
 */
void vcrypto_algs_unregister(struct vcrypto_dev *vc)
{
	unsigned int i;

	mutex_lock(&vcrypto_algs_mutex);
	for (i = 0; i < vcrypto_nr_algs; i++) {
		if (!__test_and_clear_bit(i, vc->registered))
			continue;
		if (!--vcrypto_algs[i]->refs)
			vcrypto_alg_retire(vcrypto_algs[i]);
	}
	mutex_unlock(&vcrypto_algs_mutex);
}

/**
 * vcrypto_algs_cleanup - unregister what unbound devices left behind
 *
 * Called at module exit, after every device is gone. A tfm or template
 * instance over our algorithms pins the module, so nothing uses them now.
 */
void vcrypto_algs_cleanup(void)
{
	unsigned int i;

	cancel_delayed_work_sync(&vcrypto_algs_reaper);
	mutex_lock(&vcrypto_algs_mutex);
	for (i = 0; i < vcrypto_nr_algs; i++) {
		if (vcrypto_algs[i]->orphaned) {
			vcrypto_algs[i]->unreg(vcrypto_algs[i]);
			vcrypto_algs[i]->orphaned = false;
		}
	}
	vcrypto_nr_algs = 0;
	mutex_unlock(&vcrypto_algs_mutex);
}
